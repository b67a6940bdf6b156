/** Small `fetch` helpers for the emulator tests: JSON calls with Basic auth, and polling. */
import { basic, type Target } from './registryPush';

/** Reply bodies as the tests read them: their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface JsonReply<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = LooseJson>(target: Target, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonReply<T>> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { Authorization: basic(target), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export async function startConversion(target: Target, repo: string, digest: string): Promise<string> {
  const reply = await call<{ id: string }>(target, 'POST', `/acr/v1/${repo}/_streaming/${digest}`, { conversionFormat: 'overlaybd', conversionVersion: 'v1' });
  if (reply.status !== 202) {
    throw new Error(`conversion POST answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  return reply.body.id;
}

export async function getOperation(target: Target, repo: string, id: string): Promise<Record<string, LooseJson>> {
  const reply = await call(target, 'GET', `/acr/v1/${repo}/_operations/${id}`);
  if (reply.status !== 200) {
    throw new Error(`operation GET answered ${reply.status}`);
  }
  return reply.body as Record<string, LooseJson>;
}

/** Polls until the operation's status is one of `statuses` (or times out). */
export async function waitForStatus(target: Target, repo: string, id: string, statuses: string[], timeoutMs = 20_000): Promise<Record<string, LooseJson>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const operation = await getOperation(target, repo, id);
    if (statuses.includes(operation.status)) {
      return operation;
    }
    if (Date.now() > deadline) {
      throw new Error(`operation ${id} still ${operation.status} (${operation.progress}) after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
