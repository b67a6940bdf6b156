/**
 * Which registries the tree shows and how each is signed in to. Registries come from the
 * `acrStreaming.registries` setting and from "Add Registry…". Non-secret facts (auth kind,
 * username, tenant) sit in global state keyed by login server; passwords only in
 * SecretStorage. Works through narrow interfaces that vscode.Memento and vscode.SecretStorage
 * satisfy, so it runs under plain Node in tests.
 *
 * Trust: credentials (the environment's username and password, stored passwords, Entra
 * tokens) go only to registries the user chose: from the user's settings or Add Registry….
 * A registry that only a workspace's settings list (a cloned repository can write them) is
 * shown, but used anonymously until the user confirms it once (Sign In…); the confirmation is
 * kept in global state by address, never in settings a workspace could write.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryCredentials } from '../core/auth/credentials';
import { AcrStreamingError } from '../core/errors';
import { parseRegistry, type RegistryEndpoint } from '../core/reference';
import { Emitter, type Disposable, type Subscribe } from './emitter';
import { parseRegistrySettings, type RegistrySettingValues, type ScopedRegistries, type SettingProblem } from './settings';

/** The part of vscode.Memento the store uses. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The part of vscode.SecretStorage the store uses. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export type StoredAuth =
  | { kind: 'anonymous' }
  | { kind: 'basic'; username: string }
  | { kind: 'entra'; tenantId?: string };

/** What the user chose when adding or signing in to a registry; the password goes to SecretStorage. */
export type NewAuth = { kind: 'anonymous' } | { kind: 'basic'; username: string; password: string } | { kind: 'entra'; tenantId?: string };

export interface RegistryEntry {
  endpoint: RegistryEndpoint;
  fromSettings: boolean;
  added: boolean;
  /** Listed only by the workspace's settings (not the user's, not added by hand). */
  workspaceOnly: boolean;
  /** May receive credentials: not workspace-only, or the user confirmed this address. */
  trusted: boolean;
  /** Stored sign-in choice; undefined = none stored (environment or anonymous). */
  auth?: StoredAuth;
}

/** Credentials from the extension host's environment (used by `npm start` and e2e tests). */
export interface EnvironmentCredentials {
  username?: string;
  password?: string;
}

export const STATE_KEYS = {
  auth: 'acrStreaming.auth',
  added: 'acrStreaming.addedRegistries',
  /** Base URLs of workspace registries the user confirmed (Sign In…). */
  trustedWorkspaceRegistries: 'acrStreaming.trustedWorkspaceRegistries',
} as const;

export function secretKey(loginServer: string): string {
  return `acrStreaming.password/${loginServer}`;
}

export function environmentCredentials(env: Record<string, string | undefined>): EnvironmentCredentials {
  return { username: env.ACR_STREAMING_USERNAME || undefined, password: env.ACR_STREAMING_PASSWORD || undefined };
}

function isStoredAuth(value: unknown): value is StoredAuth {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'anonymous':
      return true;
    case 'basic':
      return typeof v.username === 'string' && v.username.length > 0;
    case 'entra':
      return v.tenantId === undefined || typeof v.tenantId === 'string';
    default:
      return false;
  }
}

export class RegistryStore implements Disposable {
  private readonly changes = new Emitter<void>();
  private parsed: ScopedRegistries;

  /** Fires when the list or a registry's sign-in changes. */
  readonly onDidChange: Subscribe<void> = this.changes.event;

  constructor(
    private readonly state: StateStore,
    private readonly secrets: SecretStore,
    private readonly readSetting: () => RegistrySettingValues,
    private readonly env: EnvironmentCredentials = {},
  ) {
    this.parsed = parseRegistrySettings(this.readSetting());
  }

  /** Re-reads the setting (also when the workspace becomes trusted); returns the problems found in it. */
  reloadSettings(): SettingProblem[] {
    this.parsed = parseRegistrySettings(this.readSetting());
    this.changes.fire();
    return this.parsed.problems;
  }

  get settingProblems(): SettingProblem[] {
    return this.parsed.problems;
  }

  /** Registries from settings first (in their order), then added ones by login server. */
  list(): RegistryEntry[] {
    const auth = this.authRecord();
    const confirmed = this.trustedWorkspaceUrls();
    const entries: RegistryEntry[] = this.parsed.endpoints.map((endpoint) => {
      const workspaceOnly = this.parsed.workspaceOnly.has(endpoint.loginServer);
      return {
        endpoint,
        fromSettings: true,
        added: false,
        workspaceOnly,
        trusted: !workspaceOnly || confirmed.includes(endpoint.baseUrl),
        auth: auth[endpoint.loginServer],
      };
    });
    const added = this.addedEndpoints().sort((a, b) => a.loginServer.localeCompare(b.loginServer));
    for (const endpoint of added) {
      const known = entries.find((entry) => entry.endpoint.loginServer === endpoint.loginServer);
      if (known) {
        known.added = true;
        if (known.workspaceOnly) {
          // Added by hand: the user chose this login server, at the address they gave.
          known.endpoint = endpoint;
          known.workspaceOnly = false;
          known.trusted = true;
        }
      } else {
        entries.push({ endpoint, fromSettings: false, added: true, workspaceOnly: false, trusted: true, auth: auth[endpoint.loginServer] });
      }
    }
    return entries;
  }

  get(loginServer: string): RegistryEntry | undefined {
    return this.list().find((entry) => entry.endpoint.loginServer === loginServer);
  }

  endpointOf(loginServer: string): RegistryEndpoint | undefined {
    return this.get(loginServer)?.endpoint;
  }

  /** How the tree describes a registry's sign-in. */
  authLabel(entry: RegistryEntry): string {
    if (!entry.trusted) {
      return 'workspace registry, anonymous';
    }
    switch (entry.auth?.kind) {
      case 'anonymous':
        return 'anonymous';
      case 'basic':
        return `user ${entry.auth.username}`;
      case 'entra':
        return 'Microsoft Entra';
      case undefined:
        return this.useEnvironment(entry) ? `user ${this.env.username} (environment)` : 'anonymous';
    }
  }

  /** Adds a registry (or updates how an existing one signs in). */
  async add(endpoint: RegistryEndpoint, auth: NewAuth): Promise<void> {
    const added = this.addedEndpoints().filter((known) => known.loginServer !== endpoint.loginServer);
    // Kept unless the user's own settings list it; a workspace's listing does not count.
    if (!this.parsed.endpoints.some((known) => known.loginServer === endpoint.loginServer && !this.parsed.workspaceOnly.has(known.loginServer))) {
      added.push(endpoint);
    }
    await this.state.update(STATE_KEYS.added, added);
    await this.saveAuth(endpoint.loginServer, auth);
    this.changes.fire();
  }

  /**
   * Stores a new sign-in for a registry already listed. Signing in to a workspace registry is
   * the user's choice of that address, so it also trusts it (the command confirms first).
   */
  async setAuth(loginServer: string, auth: NewAuth): Promise<void> {
    await this.saveAuth(loginServer, auth);
    const entry = this.get(loginServer);
    if (entry && !entry.trusted) {
      await this.rememberTrust(entry.endpoint.baseUrl);
    }
    this.changes.fire();
  }

  /** The user confirmed a workspace registry: credentials may go to its address from now on. */
  async trust(loginServer: string): Promise<void> {
    const entry = this.get(loginServer);
    if (entry && !entry.trusted) {
      await this.rememberTrust(entry.endpoint.baseUrl);
      this.changes.fire();
    }
  }

  /** The environment's username, when both it and a password are set (for the trust prompt). */
  get environmentUser(): string | undefined {
    return this.env.username && this.env.password ? this.env.username : undefined;
  }

  /**
   * Forgets an added registry and its stored sign-in. Returns whether it is still listed in
   * settings (the caller offers to edit them).
   */
  async remove(loginServer: string): Promise<{ stillInSettings: boolean }> {
    await this.state.update(
      STATE_KEYS.added,
      this.addedEndpoints().filter((known) => known.loginServer !== loginServer),
    );
    const auth = { ...this.authRecord() };
    delete auth[loginServer];
    await this.state.update(STATE_KEYS.auth, auth);
    await this.secrets.delete(secretKey(loginServer));
    await this.state.update(
      STATE_KEYS.trustedWorkspaceRegistries,
      this.trustedWorkspaceUrls().filter((url) => new URL(url).host !== loginServer),
    );
    this.changes.fire();
    return { stillInSettings: this.parsed.endpoints.some((known) => known.loginServer === loginServer) };
  }

  /**
   * The credentials to use now. `entraCredential` builds the VS Code session adapter; it is
   * only called for Entra registries.
   */
  async resolveCredentials(loginServer: string, entraCredential: (tenantId?: string) => TokenCredential): Promise<RegistryCredentials> {
    const entry = this.get(loginServer);
    if (!entry) {
      throw new AcrStreamingError('INVALID_INPUT', `${loginServer} is not in the registry list.`, {
        hint: 'Add it with "ACR Streaming: Add Registry…" or the acrStreaming.registries setting.',
      });
    }
    if (!entry.trusted) {
      // Listed only by a workspace: nothing of the user's goes there until they confirm it.
      return { kind: 'anonymous' };
    }
    switch (entry.auth?.kind) {
      case 'anonymous':
        return { kind: 'anonymous' };
      case 'basic': {
        const password = await this.secrets.get(secretKey(loginServer));
        if (!password) {
          throw new AcrStreamingError('UNAUTHORIZED', `No password is stored for ${entry.auth.username} on ${loginServer}.`, {
            hint: 'Sign in to the registry again.',
          });
        }
        return { kind: 'basic', username: entry.auth.username, password };
      }
      case 'entra':
        return { kind: 'entra', credential: entraCredential(entry.auth.tenantId), tenantId: entry.auth.tenantId };
      case undefined:
        if (this.useEnvironment(entry) && this.env.username && this.env.password) {
          return { kind: 'basic', username: this.env.username, password: this.env.password };
        }
        return { kind: 'anonymous' };
    }
  }

  dispose(): void {
    this.changes.dispose();
  }

  private useEnvironment(entry: RegistryEntry): boolean {
    return entry.fromSettings && entry.trusted && entry.auth === undefined && !!this.env.username && !!this.env.password;
  }

  private async rememberTrust(baseUrl: string): Promise<void> {
    const urls = this.trustedWorkspaceUrls().filter((url) => url !== baseUrl);
    await this.state.update(STATE_KEYS.trustedWorkspaceRegistries, [...urls, baseUrl]);
  }

  private trustedWorkspaceUrls(): string[] {
    const raw = this.state.get<unknown>(STATE_KEYS.trustedWorkspaceRegistries);
    return Array.isArray(raw) ? raw.filter((url): url is string => typeof url === 'string' && URL.canParse(url)) : [];
  }

  private async saveAuth(loginServer: string, auth: NewAuth): Promise<void> {
    let stored: StoredAuth;
    if (auth.kind === 'basic') {
      // The secret first: a stored "basic" without its password would look signed in but fail.
      await this.secrets.store(secretKey(loginServer), auth.password);
      stored = { kind: 'basic', username: auth.username };
    } else {
      await this.secrets.delete(secretKey(loginServer));
      stored = auth.kind === 'entra' ? (auth.tenantId ? { kind: 'entra', tenantId: auth.tenantId } : { kind: 'entra' }) : { kind: 'anonymous' };
    }
    await this.state.update(STATE_KEYS.auth, { ...this.authRecord(), [loginServer]: stored });
  }

  /** Stored auth, with anything malformed (an older version, a hand edit) left out. */
  private authRecord(): Record<string, StoredAuth> {
    const raw = this.state.get<unknown>(STATE_KEYS.auth);
    const result: Record<string, StoredAuth> = {};
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const [loginServer, value] of Object.entries(raw)) {
        if (isStoredAuth(value)) {
          result[loginServer] = value;
        }
      }
    }
    return result;
  }

  private addedEndpoints(): RegistryEndpoint[] {
    const raw = this.state.get<unknown>(STATE_KEYS.added);
    if (!Array.isArray(raw)) {
      return [];
    }
    const result: RegistryEndpoint[] = [];
    for (const item of raw) {
      const baseUrl = (item as { baseUrl?: unknown } | null)?.baseUrl;
      if (typeof baseUrl !== 'string') {
        continue;
      }
      try {
        // Re-validated: global state is only as trustworthy as whoever wrote it last.
        const endpoint = parseRegistry(baseUrl);
        if (!result.some((known) => known.loginServer === endpoint.loginServer)) {
          result.push(endpoint);
        }
      } catch {
        // A malformed entry is skipped; the user can add the registry again.
      }
    }
    return result;
  }
}
