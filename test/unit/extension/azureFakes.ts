/** In-memory stand-ins for the Azure side of the extension: VS Code's authentication API and ARM. */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { AuthenticationApi, AuthSession } from '../../../src/azure/azureAccount';
import type { AzureResourceApi } from '../../../src/core/azure/azureResourceClient';
import type { AzureRegistry, AzureSubscription, AzureTenant, SoftDeletePolicy } from '../../../src/core/azure/models';
import type { Disposable } from '../../../src/services/emitter';

export interface SessionRequest {
  providerId: string;
  scopes: string[];
  options: { createIfNone?: boolean; silent?: boolean };
}

/** A promise with its resolve and reject exposed, for answers a test releases by hand. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * VS Code's authentication API: one existing session per provider (found silently), and the
 * session a sign-in prompt would create (`createIfNone`).
 */
export class FakeAuthentication implements AuthenticationApi {
  readonly requests: SessionRequest[] = [];
  /** Sessions that exist now, by provider id. */
  readonly sessions = new Map<string, AuthSession>();
  /** What the sign-in prompt yields (undefined: the user dismissed it). */
  prompted: AuthSession | undefined;
  /** Makes every getSession throw (a provider that is not registered). */
  failWith?: Error;
  /** When set, getSession waits for it before answering. */
  gate?: Promise<void>;
  private readonly listeners = new Set<(providerId: string) => void>();

  async getSession(providerId: string, scopes: readonly string[], options: { createIfNone?: boolean; silent?: boolean }): Promise<AuthSession | undefined> {
    this.requests.push({ providerId, scopes: [...scopes], options: { ...options } });
    await this.gate;
    if (this.failWith) {
      throw this.failWith;
    }
    const existing = this.sessions.get(providerId);
    if (existing || !options.createIfNone) {
      return existing;
    }
    if (this.prompted) {
      this.sessions.set(providerId, this.prompted);
    }
    return this.prompted;
  }

  onDidChangeSessions(listener: (providerId: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fireChange(providerId: string): void {
    for (const listener of [...this.listeners]) {
      listener(providerId);
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

export function session(label: string, id = `${label}-id`, accessToken = 'not-a-jwt'): AuthSession {
  return { accessToken, account: { id, label } };
}

/** A credential that remembers which tenant it was made for. */
export class TenantCredential implements TokenCredential {
  constructor(readonly tenantId: string | undefined) {}
  async getToken(): Promise<AccessToken> {
    return { token: `token-for-${this.tenantId ?? 'home'}`, expiresOnTimestamp: Date.now() + 60_000 };
  }
}

/**
 * Azure Resource Manager as a few maps. Every client records the tenant of the credential it
 * was created with, and every request is logged as `<tenant> <call>`.
 */
export class FakeArm {
  tenants: AzureTenant[] = [];
  /** Subscriptions per tenant id; an Error makes that tenant's listing fail. */
  readonly subscriptions = new Map<string, AzureSubscription[] | Error>();
  /** Registries per subscription id; an Error makes the listing fail. */
  readonly registries = new Map<string, AzureRegistry[] | Error>();
  readonly softDelete = new Map<string, SoftDeletePolicy>();
  tenantsFailWith?: Error;
  /** When set, listRegistries waits for it. */
  registriesGate?: Promise<void>;
  readonly requests: string[] = [];
  /** The tenant each client was created for, in order (undefined = home tenant). */
  readonly clientsFor: Array<string | undefined> = [];

  createClient = (credential: TokenCredential): AzureResourceApi => {
    const tenant = credential instanceof TenantCredential ? credential.tenantId : 'unknown-credential';
    this.clientsFor.push(tenant);
    return this.client(tenant);
  };

  private client(tenant: string | undefined): AzureResourceApi {
    const label = tenant ?? 'home';
    const log = (call: string): void => {
      this.requests.push(`${label} ${call}`);
    };
    return {
      listTenants: async () => {
        log('listTenants');
        if (this.tenantsFailWith) {
          throw this.tenantsFailWith;
        }
        return this.tenants.map((t) => ({ ...t }));
      },
      listSubscriptions: async () => {
        log('listSubscriptions');
        const found = tenant === undefined ? undefined : this.subscriptions.get(tenant);
        if (found instanceof Error) {
          throw found;
        }
        return (found ?? []).map((s) => ({ ...s }));
      },
      listRegistries: async (subscriptionId) => {
        log(`listRegistries ${subscriptionId}`);
        await this.registriesGate;
        const found = this.registries.get(subscriptionId);
        if (found instanceof Error) {
          throw found;
        }
        return (found ?? []).map((r) => ({ ...r }));
      },
      getRegistry: async (registryId) => {
        log(`getRegistry ${registryId}`);
        const all = [...this.registries.values()].flatMap((list) => (list instanceof Error ? [] : list));
        const found = all.find((r) => r.id === registryId);
        if (!found) {
          throw new Error(`no registry ${registryId}`);
        }
        return { ...found };
      },
      getSoftDeletePolicy: async (registryId) => {
        log(`getSoftDeletePolicy ${registryId}`);
        return this.softDelete.get(registryId);
      },
    };
  }
}

export const TENANT_1 = '11111111-1111-1111-1111-111111111111';
export const TENANT_2 = '22222222-2222-2222-2222-222222222222';
export const SUB_A = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
export const SUB_B = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb';
export const SUB_C = 'cccccccc-cccc-cccc-cccc-cccccccccccc';

export function subscription(subscriptionId: string, displayName: string, tenantId: string): AzureSubscription {
  return { subscriptionId, displayName, tenantId, state: 'Enabled' };
}

export function azureRegistry(name: string, subscriptionId: string, overrides: Partial<AzureRegistry> = {}): AzureRegistry {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-${name}/providers/Microsoft.ContainerRegistry/registries/${name}`,
    name,
    subscriptionId,
    resourceGroup: `rg-${name}`,
    location: 'eastus',
    sku: 'Premium',
    loginServer: `${name.toLowerCase()}.azurecr.io`,
    encryptionEnabled: false,
    ...overrides,
  };
}
