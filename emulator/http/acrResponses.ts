/** Replies shaped like ACR's: JSON with ACR's headers, and `{"errors":[…]}` bodies. */
import type { ServerResponse } from 'node:http';

export const ACR_JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Docker-Distribution-Api-Version': 'registry/2.0',
} as const;

export type HeaderMap = Record<string, string | number | string[]>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}, contentType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...ACR_JSON_HEADERS,
    ...(contentType ? { 'Content-Type': contentType } : {}),
    ...headers,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * `detail` is `null` on 401s (as recorded) and left out elsewhere unless given (the recorded
 * 404 has none).
 */
export function sendAcrError(res: ServerResponse, status: number, code: string, message: string, options: { detail?: unknown; headers?: HeaderMap } = {}): void {
  const error: Record<string, unknown> = { code, message };
  if (options.detail !== undefined) {
    error.detail = options.detail;
  } else if (status === 401) {
    error.detail = null;
  }
  sendJson(res, status, { errors: [error] }, options.headers ?? {});
}

export function sendEmpty(res: ServerResponse, status: number, headers: HeaderMap = {}): void {
  res.writeHead(status, { 'Docker-Distribution-Api-Version': 'registry/2.0', 'Content-Length': 0, ...headers });
  res.end();
}

/** ACR error code for a bare HTTP status (used by injected faults). */
export function errorCodeForStatus(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: 'BAD_REQUEST', message: 'bad request' };
    case 401:
      return { code: 'UNAUTHORIZED', message: 'authentication required, visit https://aka.ms/acr/authorization for more information.' };
    case 403:
      return { code: 'DENIED', message: 'requested access to the resource is denied' };
    case 404:
      return { code: 'NOT_FOUND', message: 'not found' };
    case 429:
      return { code: 'TOOMANYREQUESTS', message: 'too many requests, please retry later' };
    case 503:
      return { code: 'UNAVAILABLE', message: 'service unavailable, please retry later' };
    default:
      return { code: 'UNKNOWN', message: `unknown error (HTTP ${status})` };
  }
}
