/**
 * What every command needs from the outside world. `main.ts` passes the real process; unit
 * tests pass a fake `connect`, string sinks and an environment of their own, and run the
 * commands in-process.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { ConnectFunction, ConnectOptions } from '../core/connection';
import type { Clock } from '../core/tracker/clock';
import type { PollPolicy } from '../core/tracker/pollPolicy';

/** A place text goes: process.stdout/stderr, or a buffer in tests. */
export interface TextSink {
  write(text: string): void;
  /** True when a person watches it live: progress then updates one line in place. */
  readonly isTTY?: boolean;
  /** Terminal width, when known: a progress line longer than this would wrap and not redraw. */
  readonly columns?: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface CliDeps {
  connect: ConnectFunction;
  stdout: TextSink;
  stderr: TextSink;
  env: Environment;
  /** Microsoft Entra for `--auth entra` (DefaultAzureCredential); called only when chosen. */
  loadEntraCredential(env: Environment): Promise<TokenCredential>;
  /** Whether a command is on PATH (`az`, `azd`): a sign that an Azure sign-in may exist. */
  commandOnPath(name: string): boolean;
  /** Ctrl+C: stops waiting (the conversion itself goes on in the registry). */
  signal?: AbortSignal;
  /** Overrides for tests: faster polls, a fake clock, shorter HTTP retries. */
  pollPolicy?: Partial<PollPolicy>;
  clock?: Clock;
  connectOptions?: Omit<ConnectOptions, 'logger'>;
  /** Delay before create's first POST retry (ms); the core's default otherwise. */
  createRetryDelayMs?: number;
}
