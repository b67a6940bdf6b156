/** Public types of the emulator's programmatic API (`startEmulator`). */
import type { FaultRule } from './faults/faultRule';
import type { RequestCounts } from './http/requestCounter';

export type { FaultRule, FaultKind } from './faults/faultRule';
export type { RequestCounts } from './http/requestCounter';

/** A repository-scoped token (ACR "tokens" + scope maps), used with Basic credentials. */
export interface ScopedTokenOption {
  username: string;
  password: string;
  /** e.g. `repository:team/app:pull,push` or `registry:catalog:*`. */
  scopes: string[];
}

export interface EmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default: a fresh temporary directory, removed on stop. Reusing one keeps images, settings and operations. */
  dataDir?: string;
  /** Fill the registry with the demo content of `emulator/seed`. */
  seed?: boolean;
  /** Serve HTTPS with a self-signed certificate written to `<dataDir>/tls/`. */
  tls?: boolean;
  /** Throttle of each conversion (source bytes per second); default 4 MiB/s; <= 0 = unlimited. */
  conversionBytesPerSecond?: number;
  /** Admin user; default `acrstreaming`. */
  username?: string;
  /** Admin password; default random. */
  password?: string;
  /** Unauthenticated pulls (GET/HEAD of repository content) are allowed. */
  anonymousPull?: boolean;
  tokens?: ScopedTokenOption[];
  /**
   * What the emulator's Azure Resource Manager lists (tenants, subscriptions, registries).
   * Default: `DEFAULT_AZURE_FIXTURE` (Contoso and Fabrikam; see emulator/README.md).
   */
  azure?: AzureFixtureInput;
  /** Items per page of ARM lists (tenants, subscriptions, registries); default: one page. */
  armPageSize?: number;
  log?: (line: string) => void;
}

export interface EntraTestTokenOptions {
  /** Default: `DEFAULT_TENANT_ID` (Contoso). */
  tenantId?: string;
  /** Default: a fixed test user. */
  objectId?: string;
  expiresInSeconds?: number;
  /**
   * Scopes asked for, as MSAL gets them: `aud` is the resource of the first one without
   * `/.default` (`https://management.azure.com/.default` → `https://management.azure.com/`).
   * Default: the ARM audience `https://management.azure.com/`.
   */
  scopes?: string[];
}

/** The signed-in user an Entra test token stands for (what VS Code's account picker shows). */
export interface EntraTestAccount {
  /** The user's object id (`oid`). */
  id: string;
  /** The user principal name, e.g. `dev@contoso.onmicrosoft.com`. */
  label: string;
  tenantId: string;
}

export interface IssuedEntraTestToken {
  token: string;
  /** `exp` in milliseconds, as `@azure/core-auth`'s `AccessToken` has it. */
  expiresOnTimestamp: number;
  account: EntraTestAccount;
}

/** A `TokenCredential`-shaped source of Entra test tokens (the `aud` follows the scopes asked for). */
export interface EntraTestCredential {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }>;
}

export type AzureSkuName = 'Basic' | 'Standard' | 'Premium';

export interface AzureTenantFixture {
  tenantId: string;
  displayName: string;
  /** e.g. `contoso.onmicrosoft.com`; test users are `dev@<defaultDomain>`. */
  defaultDomain: string;
}

export interface AzureSubscriptionFixture {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
}

/** Which data-plane listener serves a registry of the fixture. */
export type AzureRegistryDataPlane =
  /** The emulator's main listener, as `127.0.0.1:PORT`. */
  | 'main'
  /** The main listener under the name `localhost:PORT` (the same registry content and tokens). */
  | 'localhost'
  /** A listener of its own (`127.0.0.1:PORT2`) over the same storage. */
  | 'own';

export interface AzureRegistryInput {
  /** The ARM resource name (e.g. `streamingdemo`). */
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  sku: AzureSkuName;
  /** `enabled` = customer-managed keys (artifact streaming is then refused). */
  encryption: 'enabled' | 'disabled';
  /** Soft delete (shown by preview api-versions only); default disabled, 7 days. */
  softDelete?: { status: 'enabled' | 'disabled'; retentionDays: number };
  /** Default `main`. */
  dataPlane?: AzureRegistryDataPlane;
}

export interface AzureFixtureInput {
  tenants: AzureTenantFixture[];
  subscriptions: AzureSubscriptionFixture[];
  registries: AzureRegistryInput[];
}

export interface AzureRegistryFixture extends Omit<AzureRegistryInput, 'dataPlane' | 'softDelete'> {
  softDelete: { status: 'enabled' | 'disabled'; retentionDays: number };
  /** `properties.loginServer` as ARM reports it, e.g. `127.0.0.1:PORT2`. */
  loginServer: string;
  /** `http(s)://<loginServer>` */
  url: string;
  /** The ARM resource id. */
  id: string;
}

/** What the emulator's ARM lists, with each registry's data-plane login server resolved. */
export interface AzureFixture {
  tenants: AzureTenantFixture[];
  subscriptions: AzureSubscriptionFixture[];
  registries: AzureRegistryFixture[];
}

export interface EmulatorHandle {
  /** `http(s)://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  loginServer: string;
  username: string;
  password: string;
  /** PEM of the self-signed certificate (with `tls: true`): trust it via NODE_EXTRA_CA_CERTS. */
  caCertPath?: string;
  dataDir: string;
  /** The raw docker-registry underneath (no auth, no ACR API). */
  upstreamUrl: string;
  /** Tenant of the Entra test tokens when none is given. */
  tenantId: string;
  /** The emulator's Azure Resource Manager, `http(s)://127.0.0.1:PORT` (no trailing slash). */
  armUrl: string;
  /** What that ARM lists; registries carry their data-plane login servers. */
  azure: AzureFixture;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  setConversionSpeed(bytesPerSecond: number): void;
  /** Requests received since the start or the last reset, every listener (ARM's too), test controls excluded. */
  requests: { snapshot(): RequestCounts; reset(): void };
  /** Signs an Entra test token for any tenant id (unknown ones included, to test refusals). */
  issueEntraTestToken(options?: EntraTestTokenOptions): string;
  /** A credential for the Azure SDKs and the core: each `getToken(scopes)` signs a fresh token for those scopes. */
  entraTestCredential(options?: Omit<EntraTestTokenOptions, 'scopes'>): EntraTestCredential;
  stop(): Promise<void>;
}
