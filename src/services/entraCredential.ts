/**
 * Microsoft Entra through VS Code's own account: a TokenCredential over
 * `vscode.authentication.getSession('microsoft', scopes)`. The session lookup is injected, so
 * this module has no VS Code import and is tested in plain Node.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { jwtExpiry } from '../core/auth/jwt';
import { AcrStreamingError } from '../core/errors';

export type SessionLookup = (scopes: string[]) => PromiseLike<{ accessToken: string } | undefined>;

/** VS Code's Microsoft provider picks a tenant from a pseudo-scope. */
export function tenantScope(tenantId: string): string {
  return `VSCODE_TENANT:${tenantId}`;
}

// A session hides its expiry; when the token has no readable `exp`, ask again soon.
const FALLBACK_LIFETIME_MS = 5 * 60_000;

export class VsCodeSessionCredential implements TokenCredential {
  constructor(
    private readonly lookup: SessionLookup,
    private readonly tenantId?: string,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const requested = Array.isArray(scopes) ? [...scopes] : [scopes];
    const tenant = options?.tenantId ?? this.tenantId;
    if (tenant) {
      requested.push(tenantScope(tenant));
    }
    const session = await this.lookup(requested);
    if (!session?.accessToken) {
      throw new AcrStreamingError('UNAUTHORIZED', tenant ? `No Microsoft account session for tenant ${tenant}.` : 'No Microsoft account is signed in to VS Code.', {
        hint: tenant ? 'Sign in to that tenant (Azure node → the tenant\'s "Sign in…" item), then try again.' : 'Sign in to Azure, then try again.',
      });
    }
    return { token: session.accessToken, expiresOnTimestamp: jwtExpiry(session.accessToken) ?? Date.now() + FALLBACK_LIFETIME_MS };
  }
}
