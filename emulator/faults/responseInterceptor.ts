/**
 * For "after handling" faults: lets a handler run for real while its reply is held back, so
 * the fault can then lose the reply (drop) or replace it (status). This simulates a request
 * that reached the server and took effect, but whose answer never came back.
 */
import type { ServerResponse } from 'node:http';

export interface Interception {
  /** Resolves when the handler has ended its (swallowed) reply. */
  done: Promise<void>;
  /** Puts the real methods back and clears the headers the handler set. */
  restore(): void;
}

export function interceptResponse(res: ServerResponse): Interception {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const swallow = res as unknown as Record<string, unknown>;
  swallow.writeHead = () => res;
  swallow.flushHeaders = () => undefined;
  swallow.write = (...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  swallow.end = (...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    callback?.();
    finish();
    return res;
  };
  return {
    done,
    restore() {
      // The methods were shadowed on the instance; removing the shadows restores the originals.
      for (const name of ['writeHead', 'flushHeaders', 'write', 'end']) {
        delete swallow[name];
      }
      for (const name of res.getHeaderNames()) {
        res.removeHeader(name);
      }
      res.statusCode = 200;
    },
  };
}
