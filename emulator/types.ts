/** Public types of the emulator's programmatic API (`startEmulator`). */
import type { FaultRule } from './faults/faultRule';

export type { FaultRule, FaultKind } from './faults/faultRule';

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
  log?: (line: string) => void;
}

export interface EntraTestTokenOptions {
  tenantId?: string;
  objectId?: string;
  expiresInSeconds?: number;
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
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  setConversionSpeed(bytesPerSecond: number): void;
  issueEntraTestToken(options?: EntraTestTokenOptions): string;
  stop(): Promise<void>;
}
