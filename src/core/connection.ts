/**
 * One signed-in registry: its endpoint and the two clients that talk to it. The extension keeps
 * one per registry node; the CLI makes one per invocation.
 */
import type { RegistryApi, StreamingApi } from './api';
import type { RegistryCredentials } from './auth/credentials';
import type { Logger } from './logger';
import type { RegistryEndpoint } from './reference';

export interface RegistryConnection {
  readonly endpoint: RegistryEndpoint;
  readonly registry: RegistryApi;
  readonly streaming: StreamingApi;
  /** Forgets cached tokens (sign-out, credential change). */
  clearTokens(): void;
}

export interface ConnectOptions {
  logger?: Logger;
  userAgent?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Retries of idempotent requests on transient faults; default 4. */
  maxRetries?: number;
  /** First retry delay; default 500 ms (tests lower it). */
  retryDelayMs?: number;
  /** Longest `Retry-After` waited out before a retry (default 60 s); a longer one fails with TOO_MANY_REQUESTS. */
  maxRetryAfterMs?: number;
}

export type ConnectFunction = (endpoint: RegistryEndpoint, credentials: RegistryCredentials, options?: ConnectOptions) => RegistryConnection;
