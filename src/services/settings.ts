/**
 * The `acrStreaming.*` settings, parsed and validated without VS Code: the caller passes a
 * getter. A bad entry is reported (and skipped), never thrown: one typo must not hide the
 * other registries.
 *
 * Trust: a cloned repository's `.vscode/settings.json` is untrusted input. Settings that name
 * where credentials or tokens go are read from the user's settings only (USER_ONLY_KEYS), and
 * registries are kept apart by where they were written (RegistryOrigin): a registry that only
 * the workspace lists gets no credentials until the user confirms it (registryStore.ts).
 */
import { AZURE_CLOUDS, resolveCloud, type AzureCloud } from '../core/azure/clouds';
import { InvalidInputError, toAcrStreamingError } from '../core/errors';
import { parseRegistry, type RegistryEndpoint } from '../core/reference';
import { parseSubscriptionFilter, type SubscriptionFilter } from './subscriptionFilter';

export const SETTINGS_SECTION = 'acrStreaming';

export const SETTING_KEYS = {
  registries: 'registries',
  pageSize: 'pageSize',
  maxConcurrentRequests: 'maxConcurrentRequests',
  pollIntervalMinSeconds: 'pollInterval.minSeconds',
  pollIntervalMaxSeconds: 'pollInterval.maxSeconds',
  azureCloud: 'azure.cloud',
  azureCustomCloud: 'azure.customCloud',
  azureSubscriptions: 'azure.subscriptions',
  allowInsecureRegistries: 'allowInsecureRegistries',
} as const;

/**
 * Settings only the user's own (global) settings may set: they choose where Entra tokens go
 * (the cloud and its endpoints), which tenants are asked for tokens, and whether passwords
 * may travel over plain http. package.json gives them `"scope": "application"`, so VS Code
 * already ignores workspace values; the extension reads only `globalValue` all the same.
 */
export const USER_ONLY_KEYS: readonly string[] = [
  SETTING_KEYS.azureCloud,
  SETTING_KEYS.azureCustomCloud,
  SETTING_KEYS.azureSubscriptions,
  SETTING_KEYS.allowInsecureRegistries,
];

/**
 * Settings VS Code ignores from an untrusted (Restricted Mode) workspace: the user-only ones
 * and the registry list (package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`).
 */
export const RESTRICTED_KEYS: readonly string[] = [SETTING_KEYS.registries, ...USER_ONLY_KEYS];

/** Where a registry of the setting was written: the user's settings, or the workspace's (untrusted). */
export type RegistryOrigin = 'user' | 'workspace';

/** What `WorkspaceConfiguration.inspect` returns, in the part the extension reads. */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type InspectSetting = (key: string) => InspectedSetting | undefined;

/** The registry setting as written in each place. */
export interface RegistrySettingValues {
  user: unknown;
  /** Undefined in an untrusted workspace: its values are not read at all. */
  workspace: unknown;
}

/** Splits `acrStreaming.registries` by origin; a workspace's value only when the workspace is trusted. */
export function registrySettingValues(inspect: InspectSetting, workspaceTrusted: boolean): RegistrySettingValues {
  const inspected = inspect(SETTING_KEYS.registries);
  return {
    user: inspected?.globalValue,
    workspace: workspaceTrusted ? (inspected?.workspaceFolderValue ?? inspected?.workspaceValue) : undefined,
  };
}

/** A getter for readSettings: user-only keys from the user's settings, the others as VS Code resolves them. */
export function settingGetter(inspect: InspectSetting, get: (key: string) => unknown): (key: string) => unknown {
  return (key) => (USER_ONLY_KEYS.includes(key) ? inspect(key)?.globalValue : get(key));
}

export interface SettingProblem {
  /** The setting, e.g. `acrStreaming.registries[2]`. */
  setting: string;
  message: string;
}

export interface ParsedRegistries {
  endpoints: RegistryEndpoint[];
  problems: SettingProblem[];
}

export interface ScopedRegistries extends ParsedRegistries {
  /** User registries first, then those only the workspace lists. */
  endpoints: RegistryEndpoint[];
  /** Login servers listed only in the workspace's settings. */
  workspaceOnly: ReadonlySet<string>;
}

/**
 * Parses `acrStreaming.registries`: login servers, bare ACR names or URLs; duplicates dropped.
 * `origin` names the settings file in messages (the workspace's, when it is not the user's).
 */
export function parseRegistrySetting(value: unknown, origin: RegistryOrigin = 'user'): ParsedRegistries {
  const setting = `${SETTINGS_SECTION}.${SETTING_KEYS.registries}`;
  const inFile = origin === 'workspace' ? ' (workspace settings)' : '';
  if (value === undefined || value === null) {
    return { endpoints: [], problems: [] };
  }
  if (!Array.isArray(value)) {
    return { endpoints: [], problems: [{ setting, message: `${setting}${inFile} must be a list of login servers or URLs.` }] };
  }
  const endpoints: RegistryEndpoint[] = [];
  const problems: SettingProblem[] = [];
  value.forEach((entry: unknown, index) => {
    const where = `${setting}[${index}]`;
    const said = `${where}${inFile}`;
    if (typeof entry !== 'string') {
      problems.push({ setting: where, message: `${said} is not a string; give a login server such as "myregistry.azurecr.io".` });
      return;
    }
    let endpoint: RegistryEndpoint;
    try {
      endpoint = parseRegistry(entry);
    } catch (error) {
      problems.push({ setting: where, message: `${said}: ${toAcrStreamingError(error).describe()}` });
      return;
    }
    const twin = endpoints.find((known) => known.loginServer === endpoint.loginServer);
    if (twin) {
      const message =
        twin.baseUrl === endpoint.baseUrl
          ? `${said} lists ${endpoint.loginServer} again; the duplicate is ignored.`
          : `${said} lists ${endpoint.loginServer} again with ${endpoint.baseUrl}; the first entry (${twin.baseUrl}) is used.`;
      problems.push({ setting: where, message });
      return;
    }
    endpoints.push(endpoint);
  });
  return { endpoints, problems };
}

/**
 * The user's registries and the workspace's, merged: a workspace adds registries to the view
 * but cannot replace the user's, nor change the address of a login server the user lists.
 */
export function parseRegistrySettings(values: RegistrySettingValues): ScopedRegistries {
  const user = parseRegistrySetting(values.user, 'user');
  const workspace = parseRegistrySetting(values.workspace, 'workspace');
  const endpoints = [...user.endpoints];
  const workspaceOnly = new Set<string>();
  const problems = [...user.problems, ...workspace.problems];
  for (const endpoint of workspace.endpoints) {
    const known = endpoints.find((listed) => listed.loginServer === endpoint.loginServer);
    if (!known) {
      endpoints.push(endpoint);
      workspaceOnly.add(endpoint.loginServer);
    } else if (known.baseUrl !== endpoint.baseUrl) {
      problems.push({
        setting: `${SETTINGS_SECTION}.${SETTING_KEYS.registries}`,
        message: `The workspace settings list ${endpoint.loginServer} as ${endpoint.baseUrl}; your user settings' ${known.baseUrl} is used.`,
      });
    }
  }
  return { endpoints, workspaceOnly, problems };
}

export interface PollIntervals {
  minMs: number;
  maxMs: number;
}

export interface ExtensionSettings {
  registries: ParsedRegistries;
  /** `acrStreaming.allowInsecureRegistries` (user settings only): plain http beyond loopback. */
  allowInsecureRegistries: boolean;
  pageSize: number;
  maxConcurrentRequests: number;
  pollInterval: PollIntervals;
  azure: AzureSettings;
  problems: SettingProblem[];
}

export interface AzureSettings {
  cloud: AzureCloud;
  /** Which subscriptions the tree lists; empty = all. */
  subscriptions: SubscriptionFilter;
}

export const DEFAULTS = {
  pageSize: 100,
  maxConcurrentRequests: 4,
  pollIntervalMinSeconds: 1,
  pollIntervalMaxSeconds: 15,
} as const;

function readInteger(
  get: (key: string) => unknown,
  key: string,
  fallback: number,
  min: number,
  max: number,
  problems: SettingProblem[],
): number {
  const value = get(key);
  if (value === undefined || value === null) {
    return fallback;
  }
  const setting = `${SETTINGS_SECTION}.${key}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push({ setting, message: `${setting} must be a whole number; using ${fallback}.` });
    return fallback;
  }
  if (value < min || value > max) {
    const clamped = Math.min(max, Math.max(min, value));
    problems.push({ setting, message: `${setting} must be between ${min} and ${max}; using ${clamped}.` });
    return clamped;
  }
  return value;
}

/**
 * Reads every setting through `get(key)` (keys relative to `acrStreaming.`); the registries
 * through `registries` when the caller splits them by origin (settingsWatcher.ts does).
 */
export function readSettings(get: (key: string) => unknown, registryValues?: RegistrySettingValues): ExtensionSettings {
  const problems: SettingProblem[] = [];
  const registries = registryValues ? parseRegistrySettings(registryValues) : parseRegistrySetting(get(SETTING_KEYS.registries));
  problems.push(...registries.problems);
  const pageSize = readInteger(get, SETTING_KEYS.pageSize, DEFAULTS.pageSize, 1, 1000, problems);
  const maxConcurrentRequests = readInteger(get, SETTING_KEYS.maxConcurrentRequests, DEFAULTS.maxConcurrentRequests, 1, 32, problems);
  const minSeconds = readInteger(get, SETTING_KEYS.pollIntervalMinSeconds, DEFAULTS.pollIntervalMinSeconds, 1, 300, problems);
  let maxSeconds = readInteger(get, SETTING_KEYS.pollIntervalMaxSeconds, DEFAULTS.pollIntervalMaxSeconds, 1, 600, problems);
  if (maxSeconds < minSeconds) {
    problems.push({
      setting: `${SETTINGS_SECTION}.${SETTING_KEYS.pollIntervalMaxSeconds}`,
      message: `${SETTINGS_SECTION}.${SETTING_KEYS.pollIntervalMaxSeconds} is below ${SETTINGS_SECTION}.${SETTING_KEYS.pollIntervalMinSeconds}; using ${minSeconds}.`,
    });
    maxSeconds = minSeconds;
  }
  const allowInsecure = get(SETTING_KEYS.allowInsecureRegistries);
  return {
    registries,
    allowInsecureRegistries: allowInsecure === true,
    azure: readAzureSettings(get, problems),
    pageSize,
    maxConcurrentRequests,
    pollInterval: { minMs: minSeconds * 1000, maxMs: maxSeconds * 1000 },
    problems,
  };
}

function readAzureSettings(get: (key: string) => unknown, problems: SettingProblem[]): AzureSettings {
  let cloud: AzureCloud;
  try {
    cloud = resolveCloud(get(SETTING_KEYS.azureCloud) ?? 'AzureCloud', get(SETTING_KEYS.azureCustomCloud));
  } catch (error) {
    // The error names the part at fault: the cloud's name, or a field of the custom cloud.
    const part = error instanceof InvalidInputError && error.part !== 'cloud' ? SETTING_KEYS.azureCustomCloud : SETTING_KEYS.azureCloud;
    const setting = `${SETTINGS_SECTION}.${part}`;
    problems.push({ setting, message: `${setting}: ${toAcrStreamingError(error).describe()} Using ${AZURE_CLOUDS.AzureCloud.displayName}.` });
    cloud = AZURE_CLOUDS.AzureCloud;
  }
  const subscriptions = parseSubscriptionFilter(get(SETTING_KEYS.azureSubscriptions));
  problems.push(...subscriptions.problems.map((message) => ({ setting: `${SETTINGS_SECTION}.${SETTING_KEYS.azureSubscriptions}`, message })));
  return { cloud, subscriptions: subscriptions.filter };
}
