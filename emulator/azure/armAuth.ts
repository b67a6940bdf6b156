/**
 * Who calls ARM: an `Authorization: Bearer` Entra test token of this emulator (signature,
 * `exp`, `nbf`) whose `aud` is an ARM audience. Refusals are ARM's 401s with its
 * `WWW-Authenticate` challenge naming the tenant to sign in to.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwtPayload, type JwtVerification } from '../auth/jwt';
import { sendArmError } from './armResponses';

export interface ArmCaller {
  tenantId: string;
  objectId: string;
}

export type ArmAuthentication = { ok: true; caller: ArmCaller } | { ok: false; description: string; tenantHint?: string };

const REASONS: Record<string, string> = {
  malformed: 'The access token is malformed.',
  signature: 'The access token signature is invalid.',
  expired: 'The access token has expired.',
  'not-yet-valid': 'The access token is not valid yet.',
};

export function authenticateArm(
  authorization: string | undefined,
  verify: (token: string) => JwtVerification,
  audiences: readonly string[],
): ArmAuthentication {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    return { ok: false, description: authorization ? "The 'Authorization' header is not a Bearer token." : "The authentication failed because of missing 'Authorization' header." };
  }
  const token = match[1];
  const tenantHint = stringClaim(decodeJwtPayload(token)?.tid);
  const result = verify(token);
  if (!result.ok) {
    return { ok: false, description: REASONS[result.reason] ?? 'The access token is invalid.', tenantHint };
  }
  const audience = result.payload.aud;
  if (typeof audience !== 'string' || !audiences.includes(audience)) {
    return { ok: false, description: `The access token has an invalid audience '${String(audience)}'; expected one of ${audiences.map((a) => `'${a}'`).join(', ')}.`, tenantHint };
  }
  const tenantId = stringClaim(result.payload.tid);
  const objectId = stringClaim(result.payload.oid);
  if (!tenantId || !objectId) {
    return { ok: false, description: "The access token has no 'tid' or 'oid' claim.", tenantHint };
  }
  return { ok: true, caller: { tenantId, objectId } };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function challenge(tenant: string, description: string): Record<string, string> {
  // Quotes would end the parameter early: keep the description a plain token68-safe sentence.
  const safe = description.replace(/["\\]/g, "'");
  return { 'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${tenant}", error="invalid_token", error_description="${safe}"` };
}

export function sendInvalidToken(req: IncomingMessage, res: ServerResponse, description: string, tenant = 'common'): void {
  sendArmError(req, res, 401, 'InvalidAuthenticationToken', `The access token is invalid. ${description}`, challenge(tenant, description));
}

/** ARM's refusal of a token from another tenant than the subscription's (wording as ARM's). */
export function sendWrongTenant(req: IncomingMessage, res: ServerResponse, tokenTenant: string, subscriptionTenant: string): void {
  sendArmError(
    req,
    res,
    401,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    challenge(subscriptionTenant, 'The access token is from the wrong issuer.'),
  );
}
