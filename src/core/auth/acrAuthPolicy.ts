/**
 * One authentication for every request the core makes, ours and the Azure SDK's.
 *
 * `@azure/container-registry` has its own challenge handler, but it is internal to the package,
 * accepts only a TokenCredential (no admin user, no repository tokens, no anonymous fallback)
 * and refuses plain-HTTP registries. So instead the SDK client is built *anonymous* and this
 * policy is added to its pipeline as well as to ours: one token cache and one challenge flow
 * serve the SDK's listing calls and our streaming/referrers calls alike.
 *
 * Flow: attach a cached token for the scope the request needs; on a 401 challenge, get a token
 * for the challenged scope from the realm (basic credentials, or an Entra token exchanged for an
 * ACR refresh token) and send once more. A second 401 is final.
 *
 * Credentials go only to the registry's own origin. The redirect policy sits above this one, so
 * a followed redirect (ACR sends blob downloads to storage) and each retry of it come through
 * here again with the new URL: those requests are sent bare, whatever their path looks like.
 */
import { createHttpHeaders, createPipelineRequest, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { AcrStreamingError } from '../errors';
import type { Logger } from '../logger';
import type { RegistryEndpoint } from '../reference';
import { throttledError } from '../http/responseErrors';
import { retryAfterOf } from '../http/retryPolicy';
import { parseChallenge, type AuthChallenge } from './challenge';
import { DEFAULT_ENTRA_SCOPE, type RegistryCredentials } from './credentials';
import { scopeForRequest } from './scopes';
import { TokenCache } from './tokenCache';

export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

const accessTokenReply = z.object({ access_token: z.string().min(1) });
const tokenReply = z.object({ access_token: z.string().min(1).optional(), token: z.string().min(1).optional() });
const refreshTokenReply = z.object({ refresh_token: z.string().min(1) });

const REFRESH_TOKEN_KEY = '\u0000refresh';

export class AcrAuthenticator {
  private readonly tokens: TokenCache;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    private readonly credentials: RegistryCredentials,
    /** Sends token requests: a pipeline with retries but without this policy. */
    private readonly sendTokenRequest: SendRequest,
    private readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.tokens = new TokenCache(now);
  }

  clear(): void {
    this.tokens.clear();
  }

  policy(): PipelinePolicy {
    const registryOrigin = new URL(this.endpoint.baseUrl).origin;
    return {
      name: 'acrAuthenticationPolicy',
      sendRequest: async (request, next) => {
        if (new URL(request.url).origin !== registryOrigin) {
          request.headers.delete('Authorization');
          return next(request);
        }
        const derivedScope = scopeForRequest(request.method, request.url);
        const cached = derivedScope ? this.tokens.get(derivedScope) : undefined;
        if (cached) {
          request.headers.set('Authorization', `Bearer ${cached}`);
        }
        const response = await next(request);
        if (response.status !== 401 || this.credentials.kind === 'anonymous') {
          return response;
        }
        const challenge = parseChallenge(response.headers.get('www-authenticate'));
        if (!challenge) {
          return response;
        }
        const authorization = await this.authorizationFor(challenge, derivedScope, request.abortSignal);
        if (!authorization) {
          return response;
        }
        request.headers.set('Authorization', authorization);
        return next(request);
      },
    };
  }

  private async authorizationFor(challenge: AuthChallenge, derivedScope: string | undefined, signal: PipelineRequest['abortSignal']): Promise<string | undefined> {
    if (challenge.scheme === 'basic') {
      return this.credentials.kind === 'basic' ? basicHeader(this.credentials.username, this.credentials.password) : undefined;
    }
    if (challenge.scheme !== 'bearer') {
      return undefined;
    }
    const realm = this.checkedRealm(challenge.params.realm);
    const service = challenge.params.service ?? this.endpoint.loginServer;
    const scope = challenge.params.scope ?? derivedScope;
    // The cached token for this scope was refused (expired or revoked): forget it and ask again.
    for (const key of [scope, derivedScope]) {
      if (key) {
        this.tokens.delete(key);
      }
    }
    const token = await this.fetchAccessToken(realm, service, scope, signal);
    for (const key of new Set([scope, derivedScope])) {
      if (key) {
        this.tokens.set(key, token);
      }
    }
    return `Bearer ${token}`;
  }

  /** Credentials go only to the registry's own host: a realm elsewhere is refused. */
  private checkedRealm(realm: string | undefined): URL {
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new AcrStreamingError('UNAUTHORIZED', `The registry ${this.endpoint.loginServer} sent an authentication challenge without a valid realm.`);
    }
    if (url.origin !== new URL(this.endpoint.baseUrl).origin) {
      throw new AcrStreamingError(
        'UNAUTHORIZED',
        `The registry ${this.endpoint.loginServer} asked for credentials to be sent to another host (${url.host}); they were not sent.`,
        { hint: 'Check that the registry address is the one you meant.' },
      );
    }
    return url;
  }

  private async fetchAccessToken(realm: URL, service: string, scope: string | undefined, signal: PipelineRequest['abortSignal']): Promise<string> {
    const credentials = this.credentials;
    if (credentials.kind === 'basic') {
      const url = new URL(realm);
      url.searchParams.set('service', service);
      if (scope) {
        url.searchParams.set('scope', scope);
      }
      const reply = await this.tokenRequest('GET', url.toString(), undefined, signal, basicHeader(credentials.username, credentials.password));
      const parsed = tokenReply.safeParse(reply);
      const token = parsed.success ? (parsed.data.access_token ?? parsed.data.token) : undefined;
      if (!token) {
        throw invalidTokenReply(this.endpoint.loginServer);
      }
      return token;
    }
    if (credentials.kind !== 'entra') {
      throw new AcrStreamingError('UNAUTHORIZED', `${this.endpoint.loginServer} requires sign-in.`);
    }
    const refreshToken = await this.refreshToken(realm, service, signal);
    const form = new URLSearchParams({ grant_type: 'refresh_token', service, refresh_token: refreshToken });
    if (scope) {
      form.set('scope', scope);
    }
    const reply = accessTokenReply.safeParse(await this.tokenRequest('POST', realm.toString(), form, signal));
    if (!reply.success) {
      throw invalidTokenReply(this.endpoint.loginServer);
    }
    return reply.data.access_token;
  }

  /** Entra token → ACR refresh token (`/oauth2/exchange`), cached until it expires. */
  private async refreshToken(realm: URL, service: string, signal: PipelineRequest['abortSignal']): Promise<string> {
    const cached = this.tokens.get(REFRESH_TOKEN_KEY);
    if (cached) {
      return cached;
    }
    const credentials = this.credentials;
    if (credentials.kind !== 'entra') {
      throw new Error('unreachable: refresh tokens are for Entra credentials');
    }
    let entraToken: string | undefined;
    try {
      entraToken = (await credentials.credential.getToken(credentials.scope ?? DEFAULT_ENTRA_SCOPE, { abortSignal: signal }))?.token;
    } catch (error) {
      throw new AcrStreamingError('UNAUTHORIZED', `Microsoft Entra sign-in failed: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Sign in again, or use another account.',
        cause: error,
      });
    }
    if (!entraToken) {
      throw new AcrStreamingError('UNAUTHORIZED', 'Microsoft Entra returned no token.', { hint: 'Sign in again.' });
    }
    const exchange = new URL('/oauth2/exchange', realm);
    const form = new URLSearchParams({ grant_type: 'access_token', service, access_token: entraToken });
    if (credentials.tenantId) {
      form.set('tenant', credentials.tenantId);
    }
    const reply = refreshTokenReply.safeParse(await this.tokenRequest('POST', exchange.toString(), form, signal));
    if (!reply.success) {
      throw invalidTokenReply(this.endpoint.loginServer);
    }
    this.tokens.set(REFRESH_TOKEN_KEY, reply.data.refresh_token);
    return reply.data.refresh_token;
  }

  private async tokenRequest(method: 'GET' | 'POST', url: string, form: URLSearchParams | undefined, signal: PipelineRequest['abortSignal'], authorization?: string): Promise<unknown> {
    const headers = createHttpHeaders({ Accept: 'application/json' });
    if (form) {
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
    }
    if (authorization) {
      headers.set('Authorization', authorization);
    }
    const request = createPipelineRequest({ url, method, headers, body: form?.toString(), abortSignal: signal, allowInsecureConnection: url.startsWith('http:') });
    const response = await this.sendTokenRequest(request);
    if (response.status === 401 || response.status === 403) {
      this.logger.warn(`Token request to ${new URL(url).pathname} was refused (${response.status}).`);
      throw new AcrStreamingError('UNAUTHORIZED', `${this.endpoint.loginServer} refused the credentials.`, {
        status: response.status,
        hint: this.credentials.kind === 'entra' ? 'Check that your account has access to this registry (AcrPull, or AcrPush to convert).' : 'Check the username and password (admin user or repository token).',
      });
    }
    if (response.status === 429) {
      throw throttledError(`Getting a token from ${this.endpoint.loginServer} was throttled (HTTP 429)`, 429, retryAfterOf(response));
    }
    if (response.status < 200 || response.status >= 300) {
      throw new AcrStreamingError(response.status >= 500 ? 'SERVER_ERROR' : 'UNAUTHORIZED', `Getting a token from ${this.endpoint.loginServer} failed with HTTP ${response.status}.`, {
        status: response.status,
        hint: 'Try again in a moment.',
      });
    }
    try {
      return JSON.parse(response.bodyAsText ?? '');
    } catch {
      throw invalidTokenReply(this.endpoint.loginServer);
    }
  }
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function invalidTokenReply(loginServer: string): AcrStreamingError {
  return new AcrStreamingError('INVALID_RESPONSE', `${loginServer} answered a token request with something that is not a token.`, {
    hint: 'Check that the address points at a container registry.',
  });
}
