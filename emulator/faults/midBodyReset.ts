/**
 * The `reset-mid-body` fault: the request is handled for real, its reply goes out with the real
 * status and headers (the full Content-Length) but only half of the body, and then the
 * connection is destroyed. A client sees the reset only while it reads the body.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface CapturedReply {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Holds back what a handler writes to `res`; `done` resolves with it once the handler ends. */
export function captureReply(res: ServerResponse): { done: Promise<CapturedReply>; restore(): void } {
  let finish!: (reply: CapturedReply) => void;
  const done = new Promise<CapturedReply>((resolve) => (finish = resolve));
  const chunks: Buffer[] = [];
  let status: number | undefined;
  let extra: OutgoingHttpHeaders = {};
  const take = (chunk: unknown): void => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
      chunks.push(Buffer.from(chunk));
    }
  };
  const shadow = res as unknown as Record<string, unknown>;
  shadow.writeHead = (code: number, ...rest: unknown[]) => {
    status = code;
    const headers = rest.find((r) => typeof r === 'object' && r !== null && !Array.isArray(r)) as OutgoingHttpHeaders | undefined;
    extra = { ...extra, ...headers };
    return res;
  };
  shadow.flushHeaders = () => undefined;
  shadow.write = (chunk: unknown, ...rest: unknown[]) => {
    take(chunk);
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  };
  shadow.end = (...args: unknown[]) => {
    if (typeof args[0] !== 'function') {
      take(args[0]);
    }
    (args.find((a) => typeof a === 'function') as (() => void) | undefined)?.();
    finish({ status: status ?? res.statusCode, headers: lowerCased({ ...res.getHeaders(), ...lowerCased(extra) }), body: Buffer.concat(chunks) });
    return res;
  };
  return {
    done,
    restore() {
      for (const name of ['writeHead', 'flushHeaders', 'write', 'end']) {
        delete shadow[name];
      }
      for (const name of res.getHeaderNames()) {
        res.removeHeader(name);
      }
    },
  };
}

/** Header names in lower case, so that the real Content-Length can be replaced, not doubled. */
function lowerCased(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Sends the headers and the first half of `reply`, then drops the connection. */
export function sendHalfAndReset(res: ServerResponse, reply: CapturedReply): void {
  const headers: OutgoingHttpHeaders = { ...reply.headers, 'content-length': String(reply.body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(reply.status, headers);
  const half = reply.body.subarray(0, Math.floor(reply.body.length / 2));
  // Let the half reach the client before the reset, so the reset lands in the body.
  res.write(half, () => setTimeout(() => res.socket?.destroy(), 10));
}

/**
 * Runs `handle` with its reply held back, then sends half of it and resets; a handler that has
 * not replied within `timeoutMs` gets a plain reset.
 */
export async function handleThenResetMidBody(res: ServerResponse, handle: () => unknown, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const capture = captureReply(res);
  const handled = Promise.resolve()
    .then(handle)
    .catch((error: unknown) => log(`handling before an injected fault failed: ${String(error)}`));
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
  const reply = await Promise.race([capture.done, handled.then(() => Promise.race([capture.done, timeout])), timeout]);
  capture.restore();
  if (reply) {
    sendHalfAndReset(res, reply);
  } else {
    res.socket?.destroy();
  }
}
