/** Runs the CLI in-process: string sinks for stdout/stderr, a chosen environment and `connect`. */
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryApi, StreamingApi } from '../../../src/core/api';
import type { RegistryCredentials } from '../../../src/core/auth/credentials';
import type { ConnectFunction } from '../../../src/core/connection';
import type { RegistryEndpoint } from '../../../src/core/reference';
import type { CliDeps, Environment } from '../../../src/cli/cliDeps';
import { runCli } from '../../../src/cli/program';

export class StringSink {
  text = '';
  constructor(readonly isTTY = false, readonly columns?: number) {}
  write(chunk: string): void {
    this.text += chunk;
  }
}

export interface ConnectCall {
  endpoint: RegistryEndpoint;
  credentials: RegistryCredentials;
}

export interface Harness {
  deps: CliDeps;
  stdout: StringSink;
  stderr: StringSink;
  connects: ConnectCall[];
  entraLoads: number;
  run(...argv: string[]): Promise<number>;
}

/** `connect` that fails the test when called: for input that must never reach a registry. */
export const forbiddenConnect: ConnectFunction = (endpoint) => {
  throw new Error(`connect() was called for ${endpoint.baseUrl}, but the input was invalid`);
};

export function fakeConnect(registry: RegistryApi, streaming: StreamingApi): ConnectFunction {
  return (endpoint) => ({ endpoint, registry, streaming, clearTokens: () => undefined });
}

export interface HarnessOptions {
  connect?: ConnectFunction;
  env?: Environment;
  onPath?: string[];
  tty?: boolean;
  signal?: AbortSignal;
  entraCredential?: TokenCredential;
}

export function harness(options: HarnessOptions = {}): Harness {
  const stdout = new StringSink();
  const stderr = new StringSink(options.tty === true, options.tty ? 80 : undefined);
  const connects: ConnectCall[] = [];
  const inner = options.connect ?? forbiddenConnect;
  const h: Harness = {
    stdout,
    stderr,
    connects,
    entraLoads: 0,
    deps: {
      connect: (endpoint, credentials, connectOptions) => {
        connects.push({ endpoint, credentials });
        return inner(endpoint, credentials, connectOptions);
      },
      stdout,
      stderr,
      env: options.env ?? {},
      loadEntraCredential: async () => {
        h.entraLoads += 1;
        return options.entraCredential ?? { getToken: async () => ({ token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
      },
      commandOnPath: (name) => (options.onPath ?? []).includes(name),
      signal: options.signal,
      pollPolicy: { initialDelayMs: 2, maxDelayMs: 10, factor: 1.5 },
      createRetryDelayMs: 1,
    },
    run: (...argv) => runCli(argv, h.deps),
  };
  return h;
}
