/**
 * Concurrent requests for the same key share one piece of work. Each caller may give up on
 * its own (its AbortSignal); the shared work is aborted only when every caller has given up.
 */
import { abortable, cancelledError } from './abort';

interface Entry {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers still waiting that could still abort (callers without a signal never leave). */
  waiters: number;
  pinned: boolean;
}

export class SharedRequests {
  private readonly entries = new Map<string, Entry>();

  /**
   * Joins the work running under `key`, or starts it with `start`. `onResult` runs once, with
   * the result, only if the work was not `forget`-ten meanwhile: stale work is not cached.
   */
  run<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, onResult?: (value: T) => void): Promise<T> {
    if (signal?.aborted) {
      return Promise.reject(cancelledError());
    }
    let entry = this.entries.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: Entry = { promise: Promise.resolve(), controller, waiters: 0, pinned: false };
      created.promise = (async () => {
        try {
          const value = await start(controller.signal);
          if (this.entries.get(key) === created) {
            onResult?.(value);
          }
          return value;
        } finally {
          if (this.entries.get(key) === created) {
            this.entries.delete(key);
          }
        }
      })();
      // Every caller may have left; the outcome must not become an unhandled rejection.
      created.promise.catch(() => undefined);
      this.entries.set(key, created);
      entry = created;
    }
    const shared = entry;
    const promise = shared.promise as Promise<T>;
    if (!signal) {
      shared.pinned = true;
      return promise;
    }
    shared.waiters += 1;
    return abortable(promise, signal, () => {
      shared.waiters -= 1;
      if (shared.waiters === 0 && !shared.pinned) {
        shared.controller.abort();
        if (this.entries.get(key) === shared) {
          this.entries.delete(key);
        }
      }
    });
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Detaches running work from its key: later callers start afresh and its result is not kept. */
  forget(predicate: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) {
      if (predicate(key)) {
        this.entries.delete(key);
      }
    }
  }

  /** Aborts everything (disposal). */
  abortAll(): void {
    for (const entry of this.entries.values()) {
      entry.controller.abort();
    }
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
