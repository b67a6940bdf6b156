/**
 * The `acrStreaming.*` settings, parsed and validated without VS Code: the caller passes a
 * getter. A bad entry is reported (and skipped), never thrown: one typo must not hide the
 * other registries.
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
} as const;

export interface SettingProblem {
  /** The setting, e.g. `acrStreaming.registries[2]`. */
  setting: string;
  message: string;
}

export interface ParsedRegistries {
  endpoints: RegistryEndpoint[];
  problems: SettingProblem[];
}

/** Parses `acrStreaming.registries`: login servers, bare ACR names or URLs; duplicates dropped. */
export function parseRegistrySetting(value: unknown): ParsedRegistries {
  const setting = `${SETTINGS_SECTION}.${SETTING_KEYS.registries}`;
  if (value === undefined || value === null) {
    return { endpoints: [], problems: [] };
  }
  if (!Array.isArray(value)) {
    return { endpoints: [], problems: [{ setting, message: `${setting} must be a list of login servers or URLs.` }] };
  }
  const endpoints: RegistryEndpoint[] = [];
  const problems: SettingProblem[] = [];
  value.forEach((entry: unknown, index) => {
    const where = `${setting}[${index}]`;
    if (typeof entry !== 'string') {
      problems.push({ setting: where, message: `${where} is not a string; give a login server such as "myregistry.azurecr.io".` });
      return;
    }
    let endpoint: RegistryEndpoint;
    try {
      endpoint = parseRegistry(entry);
    } catch (error) {
      problems.push({ setting: where, message: `${where}: ${toAcrStreamingError(error).describe()}` });
      return;
    }
    const twin = endpoints.find((known) => known.loginServer === endpoint.loginServer);
    if (twin) {
      const message =
        twin.baseUrl === endpoint.baseUrl
          ? `${where} lists ${endpoint.loginServer} again; the duplicate is ignored.`
          : `${where} lists ${endpoint.loginServer} again with ${endpoint.baseUrl}; the first entry (${twin.baseUrl}) is used.`;
      problems.push({ setting: where, message });
      return;
    }
    endpoints.push(endpoint);
  });
  return { endpoints, problems };
}

export interface PollIntervals {
  minMs: number;
  maxMs: number;
}

export interface ExtensionSettings {
  registries: ParsedRegistries;
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

/** Reads every setting through `get(key)` (keys relative to `acrStreaming.`). */
export function readSettings(get: (key: string) => unknown): ExtensionSettings {
  const problems: SettingProblem[] = [];
  const registries = parseRegistrySetting(get(SETTING_KEYS.registries));
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
  return {
    registries,
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
