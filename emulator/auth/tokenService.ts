/**
 * Issues and checks the emulator's tokens. ACR refresh and access tokens are HS256 JWTs signed
 * with one random key; "Entra test tokens" (stand-ins for Microsoft Entra access tokens, which
 * `/oauth2/exchange` and the emulator's ARM accept) are signed with a second, separate key so
 * that neither kind can pass for the other. Each data-plane listener has its own view
 * (`forAudiences`): same keys, but its ACR tokens name its own login server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ACR_ENTRA_AUDIENCE, ARM_AUDIENCES, audienceOfScopes } from '../azure/audiences';
import { DEFAULT_ENTRA_OBJECT_ID, entraAccessTokenClaims, entraAccount } from '../azure/entraClaims';
import type { EntraTestTokenOptions, IssuedEntraTestToken } from '../types';
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

export interface TokenServiceOptions {
  /** A tenant's default domain (test users are `dev@<domain>`); unknown tenants get `<tid>.onmicrosoft.com`. */
  tenantDomain?: (tenantId: string) => string | undefined;
  /** The audiences ARM accepts (default: the public-cloud ones); `/oauth2/exchange` accepts them too. */
  armAudiences?: readonly string[];
}

interface TokenKeys {
  acr: Buffer;
  entra: Buffer;
}

export class TokenService {
  constructor(
    private readonly audiences: readonly string[],
    private readonly options: TokenServiceOptions = {},
    private readonly keys: TokenKeys = { acr: randomBytes(32), entra: randomBytes(32) },
  ) {}

  /** The same keys for another registry (login server): its ACR tokens are not valid here, nor these there. */
  forAudiences(audiences: readonly string[]): TokenService {
    return new TokenService(audiences, this.options, this.keys);
  }

  get loginServer(): string {
    return this.audiences[0];
  }

  /** `service` names the login server asked for (one of this registry's names); default the first. */
  private audienceFor(service: string | undefined): string {
    return service && this.audiences.includes(service) ? service : this.loginServer;
  }

  issueAccessToken(subject: string, access: AccessEntry[], lifetimeSeconds = DEFAULT_ACCESS_TOKEN_SECONDS, service?: string): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      { jti: randomUUID(), sub: subject, nbf: now - 1, iat: now, exp: now + lifetimeSeconds, iss: ISSUER, aud: this.audienceFor(service), version: '1.0', access },
      this.keys.acr,
    );
  }

  issueRefreshToken(claims: RefreshClaims, service?: string): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        jti: randomUUID(),
        sub: claims.subject,
        nbf: now - 1,
        iat: now,
        exp: now + REFRESH_TOKEN_SECONDS,
        iss: ISSUER,
        aud: this.audienceFor(service),
        grant_type: 'refresh_token',
        principal: claims.principal,
        ...(claims.tenant ? { tenant: claims.tenant } : {}),
        version: '1.0',
      },
      this.keys.acr,
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
    return this.issueEntraTestTokenWithAccount(options).token;
  }

  /** An Entra test token shaped like a Microsoft Entra v1 user token, and the account it is for. */
  issueEntraTestTokenWithAccount(options: EntraTestTokenOptions = {}): IssuedEntraTestToken {
    const now = Math.floor(Date.now() / 1000);
    const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
    const user = {
      tenantId,
      objectId: options.objectId ?? DEFAULT_ENTRA_OBJECT_ID,
      domain: this.options.tenantDomain?.(tenantId) ?? `${tenantId}.onmicrosoft.com`,
    };
    const audience = audienceOfScopes(options.scopes, this.armAudiences);
    const claims = entraAccessTokenClaims(user, audience, now, options.expiresInSeconds ?? 3600);
    return { token: signJwt(claims, this.keys.entra, ENTRA_KID), expiresOnTimestamp: Number(claims.exp) * 1000, account: entraAccount(user) };
  }

  verifyEntraToken(token: string): JwtVerification {
    return verifyJwt(token, this.keys.entra);
  }

  get armAudiences(): readonly string[] {
    return this.options.armAudiences ?? ARM_AUDIENCES;
  }

  /** ACR's exchange takes Entra tokens meant for ARM or for ACR itself. */
  acceptsForExchange(audience: unknown): boolean {
    return typeof audience === 'string' && (audience === ACR_ENTRA_AUDIENCE || this.armAudiences.includes(audience));
  }

  private verifyAcr(token: string): { ok: true; payload: JwtPayload } | { ok: false; reason: string } {
    const result = verifyJwt(token, this.keys.acr);
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
