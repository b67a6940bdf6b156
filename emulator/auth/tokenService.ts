/**
 * Issues and checks the emulator's tokens. ACR refresh and access tokens are HS256 JWTs signed
 * with one random key; "Entra test tokens" (stand-ins for Microsoft Entra access tokens, which
 * `/oauth2/exchange` accepts) are signed with a second, separate key so that neither kind can
 * pass for the other.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntraTestTokenOptions } from '../types';
import { signJwt, verifyJwt, type JwtPayload, type JwtVerification } from './jwt';
import type { AccessEntry } from './scopes';

export const DEFAULT_ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 3 * 3600;
export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-00000000e1a7';
const ISSUER = 'acr-emulator';
const ENTRA_KID = 'acr-emulator-entra-test';

/** What a refresh token stands for. */
export interface RefreshClaims {
  principal: 'admin' | 'entra' | 'scoped-token';
  subject: string;
  tenant?: string;
}

export class TokenService {
  private readonly acrKey = randomBytes(32);
  private readonly entraKey = randomBytes(32);

  constructor(private readonly audiences: readonly string[]) {}

  get loginServer(): string {
    return this.audiences[0];
  }

  issueAccessToken(subject: string, access: AccessEntry[], lifetimeSeconds = DEFAULT_ACCESS_TOKEN_SECONDS): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      { jti: randomUUID(), sub: subject, nbf: now - 1, iat: now, exp: now + lifetimeSeconds, iss: ISSUER, aud: this.loginServer, version: '1.0', access },
      this.acrKey,
    );
  }

  issueRefreshToken(claims: RefreshClaims): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        jti: randomUUID(),
        sub: claims.subject,
        nbf: now - 1,
        iat: now,
        exp: now + REFRESH_TOKEN_SECONDS,
        iss: ISSUER,
        aud: this.loginServer,
        grant_type: 'refresh_token',
        principal: claims.principal,
        ...(claims.tenant ? { tenant: claims.tenant } : {}),
        version: '1.0',
      },
      this.acrKey,
    );
  }

  /** Checks an ACR access token: signature, expiry, audience, and that it is not a refresh token. */
  verifyAccessToken(token: string): { ok: true; subject: string; access: AccessEntry[] } | { ok: false; reason: string } {
    const result = this.verifyAcr(token);
    if (!result.ok) {
      return result;
    }
    const { payload } = result;
    if (payload.grant_type === 'refresh_token' || !Array.isArray(payload.access)) {
      return { ok: false, reason: 'not an access token' };
    }
    return { ok: true, subject: String(payload.sub ?? ''), access: sanitiseAccess(payload.access) };
  }

  verifyRefreshToken(token: string): { ok: true; claims: RefreshClaims } | { ok: false; reason: string } {
    const result = this.verifyAcr(token);
    if (!result.ok) {
      return result;
    }
    const { payload } = result;
    const principal = payload.principal;
    if (payload.grant_type !== 'refresh_token' || (principal !== 'admin' && principal !== 'entra' && principal !== 'scoped-token')) {
      return { ok: false, reason: 'not a refresh token' };
    }
    return {
      ok: true,
      claims: { principal, subject: String(payload.sub ?? ''), tenant: typeof payload.tenant === 'string' ? payload.tenant : undefined },
    };
  }

  issueEntraTestToken(options: EntraTestTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
    const objectId = options.objectId ?? '00000000-0000-4000-8000-0000000000aa';
    return signJwt(
      {
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${tenantId}/`,
        iat: now,
        nbf: now - 1,
        exp: now + (options.expiresInSeconds ?? 3600),
        tid: tenantId,
        oid: objectId,
        sub: objectId,
        ver: '1.0',
      },
      this.entraKey,
      ENTRA_KID,
    );
  }

  verifyEntraToken(token: string): JwtVerification {
    return verifyJwt(token, this.entraKey);
  }

  private verifyAcr(token: string): { ok: true; payload: JwtPayload } | { ok: false; reason: string } {
    const result = verifyJwt(token, this.acrKey);
    if (!result.ok) {
      return { ok: false, reason: result.reason };
    }
    if (!this.audiences.includes(String(result.payload.aud))) {
      return { ok: false, reason: 'wrong audience' };
    }
    return result;
  }
}

function sanitiseAccess(value: unknown[]): AccessEntry[] {
  return value
    .filter((e): e is AccessEntry => {
      const entry = e as Partial<AccessEntry> | null;
      return !!entry && typeof entry.type === 'string' && typeof entry.name === 'string' && Array.isArray(entry.actions);
    })
    .map((e) => ({ type: e.type, name: e.name, actions: e.actions.filter((a): a is string => typeof a === 'string') }));
}
