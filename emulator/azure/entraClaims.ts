/**
 * The claims of a Microsoft Entra v1 access token for a signed-in user, as VS Code's Microsoft
 * account provider obtains them (its client id, `scp: user_impersonation`, `idtyp: user`).
 * Ids that Entra derives (the pairwise `sub`, `puid`, `rh`) are derived here from the user and
 * tenant so that they stay the same from token to token; `aio` and `uti` change, as Entra's do.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntraTestAccount } from '../types';

/** Visual Studio Code's application (client) id in Microsoft Entra. */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';
export const DEFAULT_ENTRA_OBJECT_ID = '00000000-0000-4000-8000-0000000000aa';

export interface EntraUser {
  tenantId: string;
  objectId: string;
  /** The tenant's default domain; the user is `dev@<domain>`. */
  domain: string;
}

function derived(bytes: number, ...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('|')).digest().subarray(0, bytes);
}

export function entraAccount(user: EntraUser): EntraTestAccount {
  return { id: user.objectId, label: `dev@${user.domain}`, tenantId: user.tenantId };
}

export function entraAccessTokenClaims(user: EntraUser, audience: string, nowSeconds: number, lifetimeSeconds: number): Record<string, unknown> {
  const upn = entraAccount(user).label;
  return {
    aud: audience,
    iss: `https://sts.windows.net/${user.tenantId}/`,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    acr: '1',
    aio: randomBytes(48).toString('base64url'),
    amr: ['pwd'],
    appid: VSCODE_CLIENT_ID,
    appidacr: '0',
    family_name: 'User',
    given_name: 'Dev',
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: 'Dev User',
    oid: user.objectId,
    puid: derived(8, 'puid', user.objectId).toString('hex').toUpperCase(),
    rh: `0.A${derived(33, 'rh', user.tenantId, audience).toString('base64url')}.`,
    scp: 'user_impersonation',
    sub: derived(32, 'sub', user.objectId, VSCODE_CLIENT_ID).toString('base64url'),
    tid: user.tenantId,
    unique_name: upn,
    upn,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
}
