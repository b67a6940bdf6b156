/**
 * Replies shaped like Azure Resource Manager's: JSON with the headers its recordings show
 * (`cache-control: no-cache`, `expires: -1`, …) plus the request ids every ARM reply carries,
 * and `{"error":{"code","message"}}` bodies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function armHeaders(req: IncomingMessage): Record<string, string> {
  const requestId = randomUUID();
  // ARM keeps a caller's correlation id (the Azure SDKs send one) and makes one otherwise.
  const sent = req.headers['x-ms-correlation-request-id'];
  const correlationId = typeof sent === 'string' && UUID.test(sent) ? sent : requestId;
  return {
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'Content-Type': 'application/json; charset=utf-8',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Cache': 'CONFIG_NOCACHE',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': correlationId,
    'x-ms-routing-request-id': `EASTUS:${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}:${requestId}`,
    'x-ms-ratelimit-remaining-subscription-global-reads': '16499',
  };
}

export function sendArmJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...armHeaders(req), ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendArmError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendArmJson(req, res, status, { error: { code, message } }, headers);
}

/** ARM's error code for a bare HTTP status (used by injected faults; the codes are ours). */
export function armCodeForStatus(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: 'BadRequest', message: 'The request is not valid.' };
    case 401:
      return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    case 403:
      return { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform this action.' };
    case 404:
      return { code: 'NotFound', message: 'The requested resource was not found.' };
    case 409:
      return { code: 'Conflict', message: 'The request conflicts with the current state of the resource.' };
    case 429:
      return { code: 'TooManyRequests', message: 'The request is being throttled. Please retry later.' };
    case 502:
      return { code: 'BadGateway', message: 'The gateway did not receive a response in time.' };
    case 503:
      return { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry later.' };
    case 504:
      return { code: 'GatewayTimeout', message: 'The gateway did not receive a response within the specified time period.' };
    default:
      return { code: 'InternalServerError', message: `The server encountered an internal error (HTTP ${status}).` };
  }
}
