/**
 * Turns a request's `Authorization` header (or a token request's form) into a principal.
 * Basic credentials: the admin user, a repository-scoped token, or ACR's null-GUID user with an
 * ACR refresh/access token as password (what `az acr login --expose-token` hands out).
 */
import { timingSafeEqual } from 'node:crypto';
import type { ScopedTokenOption } from '../types';
import { accessPrincipal, anonymousPrincipal, ownerPrincipal, type Principal } from './principals';
import { parseScopes } from './scopes';
import type { RefreshClaims, TokenService } from './tokenService';

export const NULL_GUID_USER = '00000000-0000-0000-0000-000000000000';

export interface AuthSettings {
  username: string;
  password: string;
  tokens: readonly ScopedTokenOption[];
  anonymousPull: boolean;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; via: 'basic' | 'bearer'; reason: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  constructor(
    private readonly settings: AuthSettings,
    private readonly tokens: TokenService,
  ) {}

  get anonymousPull(): boolean {
    return this.settings.anonymousPull;
  }

  anonymous(): Principal {
    return anonymousPrincipal(this.settings.anonymousPull);
  }

  /** Basic credentials as a principal, or undefined when they are wrong. */
  fromPassword(username: string, password: string, via: Principal['via'] = 'basic'): Principal | undefined {
    if (sameSecret(username, this.settings.username) && sameSecret(password, this.settings.password)) {
      return ownerPrincipal('admin', username, via);
    }
    const token = this.settings.tokens.find((t) => sameSecret(t.username, username));
    if (token) {
      return sameSecret(token.password, password) ? accessPrincipal('scoped-token', token.username, parseScopes(token.scopes), via) : undefined;
    }
    if (username === NULL_GUID_USER) {
      const refresh = this.tokens.verifyRefreshToken(password);
      if (refresh.ok) {
        return this.fromRefreshClaims(refresh.claims, via);
      }
      const access = this.tokens.verifyAccessToken(password);
      if (access.ok) {
        return accessPrincipal('bearer', access.subject, access.access, via);
      }
    }
    return undefined;
  }

  fromRefreshClaims(claims: RefreshClaims, via: Principal['via']): Principal | undefined {
    switch (claims.principal) {
      case 'admin':
        return claims.subject === this.settings.username ? ownerPrincipal('admin', claims.subject, via) : undefined;
      case 'entra':
        return ownerPrincipal('entra', claims.subject, via);
      case 'scoped-token': {
        // Scopes are looked up now, so a token's current scope map applies.
        const token = this.settings.tokens.find((t) => t.username === claims.subject);
        return token ? accessPrincipal('scoped-token', token.username, parseScopes(token.scopes), via) : undefined;
      }
    }
  }

  /** The principal of a data-plane request; no header means anonymous. */
  authenticate(header: string | undefined): Authentication {
    if (!header) {
      return { ok: true, principal: this.anonymous() };
    }
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const principal = colon < 0 ? undefined : this.fromPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
      return principal ? { ok: true, principal } : { ok: false, via: 'basic', reason: 'invalid username or password' };
    }
    if (scheme === 'bearer') {
      const result = this.tokens.verifyAccessToken(value);
      return result.ok
        ? { ok: true, principal: accessPrincipal('bearer', result.subject, result.access, 'bearer') }
        : { ok: false, via: 'bearer', reason: result.reason };
    }
    return { ok: false, via: 'basic', reason: `unsupported authorization scheme "${scheme}"` };
  }
}
