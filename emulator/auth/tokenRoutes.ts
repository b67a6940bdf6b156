/**
 * `/oauth2/token` and `/oauth2/exchange`, as ACR answers them: `{"access_token"}` and
 * `{"refresh_token"}` and nothing else (no `expires_in`).
 */
import { sendJson } from '../http/acrResponses';
import { readForm } from '../http/requestBody';
import type { RequestContext } from '../http/requestContext';
import type { Authenticator } from './authenticator';
import { UNAUTHORIZED_MESSAGE } from './challenge';
import { grantScopes, type Principal } from './principals';
import { parseScopes } from './scopes';
import { type TokenService } from './tokenService';

const TOKEN_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'x-ms-ratelimit-remaining-calls-per-second': '166.65',
};

function tokenError(ctx: RequestContext, status: number, code: string, message: string): void {
  sendJson(ctx.res, status, { errors: [{ code, message, detail: null }] }, TOKEN_HEADERS);
}

export class TokenRoutes {
  constructor(
    private readonly tokens: TokenService,
    private readonly authenticator: Authenticator,
    private readonly audiences: readonly string[],
  ) {}

  /** Handles the request when it is a token route; false otherwise. */
  async handle(ctx: RequestContext): Promise<boolean> {
    if (ctx.path === '/oauth2/token' && (ctx.method === 'GET' || ctx.method === 'POST')) {
      await this.token(ctx);
      return true;
    }
    if (ctx.path === '/oauth2/exchange' && ctx.method === 'POST') {
      await this.exchange(ctx);
      return true;
    }
    return false;
  }

  private async params(ctx: RequestContext): Promise<URLSearchParams> {
    const params = new URLSearchParams(ctx.url.searchParams);
    if (ctx.method === 'POST') {
      for (const [key, value] of await readForm(ctx.req)) {
        params.append(key, value);
      }
    }
    return params;
  }

  private serviceOk(ctx: RequestContext, params: URLSearchParams): boolean {
    const service = params.get('service');
    if (service !== null && service !== '' && !this.audiences.includes(service)) {
      tokenError(ctx, 400, 'BAD_REQUEST', `unknown service "${service}"; expected ${this.audiences[0]}`);
      return false;
    }
    return true;
  }

  private async token(ctx: RequestContext): Promise<void> {
    const params = await this.params(ctx);
    if (!this.serviceOk(ctx, params)) {
      return;
    }
    const grantType = params.get('grant_type') ?? '';
    let principal: Principal | undefined;
    if (grantType === 'refresh_token') {
      const result = this.tokens.verifyRefreshToken(params.get('refresh_token') ?? '');
      principal = result.ok ? this.authenticator.fromRefreshClaims(result.claims, 'bearer') : undefined;
    } else if (grantType === 'password' || grantType === '') {
      const username = params.get('username') ?? '';
      const password = params.get('password') ?? '';
      if (username !== '' || password !== '') {
        principal = this.authenticator.fromPassword(username, password, 'bearer');
      } else {
        const auth = this.authenticator.authenticate(ctx.req.headers.authorization);
        principal = auth.ok ? auth.principal : undefined;
      }
      if (principal?.kind === 'anonymous' && !this.authenticator.anonymousPull) {
        principal = undefined;
      }
    } else {
      tokenError(ctx, 400, 'BAD_REQUEST', `unsupported grant_type "${grantType}"`);
      return;
    }
    if (!principal) {
      tokenError(ctx, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
      return;
    }
    const access = grantScopes(principal, parseScopes(params.getAll('scope')));
    const body: Record<string, string> = {
      access_token: this.tokens.issueAccessToken(principal.subject, access, ctx.tokenLifetimeSeconds, params.get('service') ?? undefined),
    };
    // Docker asks for a refresh token with access_type=offline on password logins.
    if (grantType === 'password' && params.get('access_type') === 'offline' && (principal.kind === 'admin' || principal.kind === 'scoped-token')) {
      body.refresh_token = this.tokens.issueRefreshToken({ principal: principal.kind, subject: principal.subject }, params.get('service') ?? undefined);
    }
    sendJson(ctx.res, 200, body, TOKEN_HEADERS);
  }

  private async exchange(ctx: RequestContext): Promise<void> {
    const params = await this.params(ctx);
    if (!this.serviceOk(ctx, params)) {
      return;
    }
    if (params.get('grant_type') !== 'access_token') {
      tokenError(ctx, 400, 'BAD_REQUEST', `unsupported grant_type "${params.get('grant_type') ?? ''}"; expected access_token`);
      return;
    }
    const result = this.tokens.verifyEntraToken(params.get('access_token') ?? '');
    if (!result.ok) {
      tokenError(ctx, 401, 'UNAUTHORIZED', `the Microsoft Entra access token is not valid (${result.reason})`);
      return;
    }
    if (!this.tokens.acceptsForExchange(result.payload.aud)) {
      tokenError(ctx, 401, 'UNAUTHORIZED', `the Microsoft Entra access token is not meant for Azure Resource Manager or Azure Container Registry (aud "${String(result.payload.aud)}")`);
      return;
    }
    const tenantId = String(result.payload.tid ?? '');
    const tenant = params.get('tenant');
    if (tenant !== null && tenant !== '' && tenant !== tenantId) {
      tokenError(ctx, 401, 'UNAUTHORIZED', `the Microsoft Entra access token was issued for another tenant than "${tenant}"`);
      return;
    }
    const subject = String(result.payload.oid ?? result.payload.sub ?? '');
    sendJson(ctx.res, 200, { refresh_token: this.tokens.issueRefreshToken({ principal: 'entra', subject, tenant: tenantId }, params.get('service') ?? undefined) }, TOKEN_HEADERS);
  }
}
