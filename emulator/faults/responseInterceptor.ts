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

/**
 * For the `paging` fault: holds back the head of a JSON reply until its body is known, then lets
 * `rewrite` change the headers and body (the next-page link) before anything is sent.
 * Replies written in pieces (streamed blobs) are passed through untouched.
 */
export function rewriteJsonReply(res: ServerResponse, rewrite: (status: number, headers: Record<string, unknown>, body: string) => { headers: Record<string, unknown>; body: string }): void {
  const original = { writeHead: res.writeHead.bind(res), write: res.write.bind(res), end: res.end.bind(res) };
  let head: { status: number; headers: Record<string, unknown> } | undefined;
  const patched = res as unknown as Record<string, unknown>;
  const restore = (): void => {
    for (const name of ['writeHead', 'write', 'end']) {
      delete patched[name];
    }
  };
  const flushHead = (): void => {
    if (head) {
      original.writeHead(head.status, head.headers as Record<string, string>);
      head = undefined;
    }
  };
  patched.writeHead = (status: number, headers?: Record<string, unknown>) => {
    head = { status, headers: { ...(headers ?? {}) } };
    return res;
  };
  patched.write = (...args: unknown[]) => {
    restore();
    flushHead();
    return (original.write as (...a: unknown[]) => boolean)(...args);
  };
  patched.end = (...args: unknown[]) => {
    restore();
    const [chunk] = args;
    if (head && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const changed = rewrite(head.status, head.headers, chunk.toString());
      const headers = { ...changed.headers };
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'content-length') {
          delete headers[name];
        }
      }
      original.writeHead(head.status, { ...headers, 'Content-Length': String(Buffer.byteLength(changed.body)) } as Record<string, string>);
      head = undefined;
      return original.end(changed.body);
    }
    flushHead();
    return (original.end as (...a: unknown[]) => ServerResponse)(...args);
  };
}
