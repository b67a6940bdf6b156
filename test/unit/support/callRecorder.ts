/** Records the calls a fake receives, counts how many run at once, and lets a test hold or fail them. */
import { AcrStreamingError } from '../../../src/core/errors';

export interface Call {
  method: string;
  args: unknown[];
  signal?: AbortSignal;
}

/** Runs at the start of every call: await something to hold the call, throw to fail it. */
export type BeforeHook = (call: Call) => void | Promise<void>;

function cancelled(): AcrStreamingError {
  return new AcrStreamingError('CANCELLED', 'The request was cancelled.');
}

export class CallRecorder {
  readonly calls: Call[] = [];
  active = 0;
  maxActive = 0;
  before?: BeforeHook;
  private readonly failures = new Map<string, unknown[]>();

  /** The next `times` calls of `method` throw `error` (after being recorded). */
  failNext(method: string, error: unknown, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) {
      queue.push(error);
    }
    this.failures.set(method, queue);
  }

  takeFailure(method: string): unknown {
    const queue = this.failures.get(method);
    return queue && queue.length > 0 ? queue.shift() : undefined;
  }

  count(method?: string): number {
    return method === undefined ? this.calls.length : this.calls.filter((call) => call.method === method).length;
  }

  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  reset(): void {
    this.calls.length = 0;
    this.maxActive = 0;
  }

  /** Wraps one call: record, hook, abort check, failure injection, then `body`. */
  async run<T>(method: string, args: unknown[], signal: AbortSignal | undefined, body: () => T | Promise<T>, injectFailure = true): Promise<T> {
    if (signal?.aborted) {
      throw cancelled();
    }
    const call: Call = { method, args, signal };
    this.calls.push(call);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.before) {
        await raceAbort(Promise.resolve(this.before(call)), signal);
      }
      if (signal?.aborted) {
        throw cancelled();
      }
      if (injectFailure) {
        const failure = this.takeFailure(method);
        if (failure !== undefined) {
          throw failure;
        }
      }
      return await body();
    } finally {
      this.active -= 1;
    }
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
