/** ACR's 401/403 replies: a Bearer challenge naming the token endpoint and the needed scope. */
import type { ServerResponse } from 'node:http';
import { sendAcrError } from '../http/acrResponses';
import type { NeededAccess } from './accessPolicy';

export const UNAUTHORIZED_MESSAGE = 'authentication required, visit https://aka.ms/acr/authorization for more information.';

export interface ChallengeTarget {
  /** `http(s)://127.0.0.1:PORT` */
  baseUrl: string;
  loginServer: string;
}

export function challengeHeader(target: ChallengeTarget, needed: NeededAccess, error?: 'invalid_token' | 'insufficient_scope'): string {
  let header = `Bearer realm="${target.baseUrl}/oauth2/token",service="${target.loginServer}"`;
  if (needed.kind === 'scope') {
    header += `,scope="${needed.type}:${needed.name}:${needed.challengeActions}"`;
  }
  if (error) {
    header += `,error="${error}"`;
  }
  return header;
}

export function sendUnauthorized(res: ServerResponse, target: ChallengeTarget, needed: NeededAccess, error?: 'invalid_token' | 'insufficient_scope'): void {
  sendAcrError(res, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE, {
    headers: { 'WWW-Authenticate': challengeHeader(target, needed, error) },
  });
}

export function sendDenied(res: ServerResponse, needed: NeededAccess): void {
  const what = needed.kind === 'scope' ? `${needed.type}:${needed.name}:${needed.action}` : 'the registry';
  sendAcrError(res, 403, 'DENIED', `requested access to the resource is denied (${what})`, { detail: null });
}
