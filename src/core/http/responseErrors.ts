/**
 * Turns an unsuccessful registry reply into an `AcrStreamingError` that says what happened and
 * what to do. The registry's own error code (ACR's body `{"errors":[{code,message}]}`) is kept.
 */
import { z } from 'zod';
import { AcrStreamingError, type ErrorCode } from '../errors';

const errorBody = z.object({
  errors: z.array(z.object({ code: z.string().max(200), message: z.string().max(2000).optional().nullable() }).passthrough()).min(1),
});

export interface FailedReply {
  status: number;
  bodyText?: string;
  retryAfterMs?: number;
}

export function errorFromReply(reply: FailedReply, what: string, loginServer: string): AcrStreamingError {
  const registryError = parseErrorBody(reply.bodyText);
  const detail = registryError?.message ? `: ${registryError.message}` : '';
  const { code, hint } = classify(reply.status, registryError?.code, loginServer);
  if (code === 'TOO_MANY_REQUESTS') {
    return throttledError(`${what} was throttled by ${loginServer} (HTTP ${reply.status}${registryError ? ` ${registryError.code}` : ''})`, reply.status, reply.retryAfterMs);
  }
  return new AcrStreamingError(code, `${what} failed (HTTP ${reply.status}${registryError ? ` ${registryError.code}` : ''})${detail}.`, {
    status: reply.status,
    hint,
    retryAfterMs: reply.retryAfterMs,
  });
}

/**
 * A throttled request, for the registry, ARM and token replies alike: the message says when to
 * retry (the server's `Retry-After`, which the retry policy did not wait out when it was long).
 */
export function throttledError(what: string, status: number, retryAfterMs: number | undefined, now: number = Date.now()): AcrStreamingError {
  const when = retryAfterMs === undefined ? '' : `; retry after ${describeWait(retryAfterMs, now)}`;
  return new AcrStreamingError('TOO_MANY_REQUESTS', `${what}${when}.`, {
    status,
    hint: retryAfterMs === undefined ? 'Too many requests: wait a moment and try again.' : 'Too many requests: try again after that time.',
    retryAfterMs,
  });
}

/** "45 s", "60 min (at 18:25 UTC)", "3 h (at 21:25 UTC)". */
export function describeWait(ms: number, now: number = Date.now()): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 120) {
    return `${seconds} s`;
  }
  const at = new Date(now + ms).toISOString().slice(11, 16);
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min (at ${at} UTC)` : `${Math.round(minutes / 60)} h (at ${at} UTC)`;
}

function parseErrorBody(text: string | undefined): { code: string; message?: string } | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) {
      const first = parsed.data.errors[0];
      return { code: first.code, message: first.message ?? undefined };
    }
  } catch {
    // Not JSON: the status alone has to do.
  }
  return undefined;
}

function classify(status: number, registryCode: string | undefined, loginServer: string): { code: ErrorCode; hint: string } {
  switch (registryCode) {
    case 'NAME_UNKNOWN':
      return { code: 'NAME_UNKNOWN', hint: 'Check the repository name; it does not exist in this registry.' };
    case 'MANIFEST_UNKNOWN':
      return { code: 'MANIFEST_UNKNOWN', hint: 'Check the tag or digest; the image does not exist (it may have been deleted).' };
    case 'OPERATION_UNKNOWN':
      return { code: 'NOT_FOUND', hint: 'The operation is not known to the registry; it may have expired. Start a new conversion if needed.' };
    default:
      break;
  }
  if (status === 401) {
    return { code: 'UNAUTHORIZED', hint: `Sign in to ${loginServer} again, or check the credentials.` };
  }
  if (status === 403) {
    return { code: 'DENIED', hint: 'Your identity lacks the permission this needs (AcrPush or Contributor to convert, AcrPull to read).' };
  }
  if (status === 404) {
    return { code: 'NOT_FOUND', hint: 'Check the names; the registry does not know this resource.' };
  }
  if (status === 429) {
    return { code: 'TOO_MANY_REQUESTS', hint: 'The registry is throttling requests; wait a moment and try again.' };
  }
  if (status >= 500) {
    return { code: 'SERVER_ERROR', hint: 'The registry had an internal problem; try again shortly.' };
  }
  return { code: 'REGISTRY_ERROR', hint: 'See the message from the registry.' };
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
