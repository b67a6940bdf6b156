import type { TokenCredential } from '@azure/core-auth';

/**
 * How a registry is signed in to. Secrets live only in these objects (built from
 * SecretStorage or the environment at the moment of use); they are never logged or persisted
 * by the core.
 */
export type RegistryCredentials =
  | { kind: 'anonymous' }
  /** Admin user or a repository-scoped token (username = token name). */
  | { kind: 'basic'; username: string; password: string }
  /** Microsoft Entra: any TokenCredential, exchanged for ACR refresh and access tokens. */
  | { kind: 'entra'; credential: TokenCredential; tenantId?: string; scope?: string };

/** The Entra scope ACR accepts for the token exchange unless a cloud says otherwise. */
export const DEFAULT_ENTRA_SCOPE = 'https://containerregistry.azure.net/.default';
