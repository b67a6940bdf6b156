/**
 * Bearer authentication for Azure Resource Manager. It replaces the SDK's own policy, which
 * refuses plain-HTTP URLs: the local emulator serves ARM over http on 127.0.0.1. Tokens go
 * over https anywhere, over http only to a loopback host, only to the Resource Manager endpoint's
 * own origin (a followed redirect or a long-running operation's poll URL elsewhere is sent bare),
 * and are never logged.
 *
 * A token is reused until 5 minutes before it expires. A 401 carrying a claims challenge
 * (Continuous Access Evaluation: a revoked session, a new policy) drops it and the request is
 * sent once more with a token for those claims.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { parseChallenge } from '../auth/challenge';
import { abortable } from '../badge/abort';
import { AcrStreamingError, isAbortError, isNetworkError } from '../errors';
import { isAllowedAzureUrl } from './loopback';

export const ARM_BEARER_POLICY_NAME = 'acrStreamingArmBearerPolicy';
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ArmBearerPolicyOptions {
  credential: TokenCredential;
  scope: string;
  /** The Resource Manager endpoint ("https://management.azure.com"): tokens go to its origin only. */
  endpoint: string;
  /** Clock for expiry decisions; `Date.now` unless a test says otherwise. */
  now?: () => number;
}

export function armBearerPolicy(options: ArmBearerPolicyOptions): PipelinePolicy {
  const now = options.now ?? Date.now;
  const armOrigin = new URL(options.endpoint).origin;
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;

  const fetchToken = async (abortSignal: PipelineRequest['abortSignal'], claims?: string): Promise<AccessToken> => {
    try {
      const token = await options.credential.getToken(options.scope, { abortSignal, claims });
      if (!token?.token) {
        throw signInAgain('The Azure sign-in gave no token.');
      }
      return token;
    } catch (error) {
      throw tokenError(error);
    }
  };

  const token = (request: PipelineRequest): Promise<AccessToken> => {
    if (cached && now() < cached.expiresOnTimestamp - REFRESH_MARGIN_MS) {
      return Promise.resolve(cached);
    }
    // Requests sent together share one token request, which no single caller's abort may end.
    pending ??= fetchToken(undefined).then(
      (fresh) => {
        cached = fresh;
        pending = undefined;
        return fresh;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    // The pipeline's signals are real AbortSignals (the timeout policy makes them).
    return abortable(pending, request.abortSignal as AbortSignal | undefined);
  };

  return {
    name: ARM_BEARER_POLICY_NAME,
    sendRequest: async (request, next): Promise<PipelineResponse> => {
      const url = new URL(request.url);
      if (url.origin !== armOrigin) {
        request.headers.delete('Authorization');
        return next(request);
      }
      if (!isAllowedAzureUrl(url)) {
        throw new AcrStreamingError('INVALID_INPUT', `Refusing to send an Azure token to ${url.host} over plain HTTP.`, {
          hint: 'Use an https Resource Manager endpoint; http is allowed only for 127.0.0.1, localhost or [::1].',
        });
      }
      request.headers.set('Authorization', `Bearer ${(await token(request)).token}`);
      const response = await next(request);
      if (response.status !== 401) {
        return response;
      }
      cached = undefined;
      const claims = claimsOf(response.headers.get('www-authenticate'));
      if (claims === undefined) {
        return response;
      }
      const fresh = await fetchToken(request.abortSignal, claims);
      cached = fresh;
      request.headers.set('Authorization', `Bearer ${fresh.token}`);
      return next(request);
    },
  };
}

/** The decoded `claims` of a CAE challenge, or undefined when the 401 carries none. */
function claimsOf(header: string | undefined): string | undefined {
  const encoded = parseChallenge(header)?.params.claims;
  if (!encoded) {
    return undefined;
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return decoded.trim().startsWith('{') ? decoded : undefined;
}

function signInAgain(message: string, cause?: unknown): AcrStreamingError {
  return new AcrStreamingError('UNAUTHORIZED', message, { hint: 'Sign in to Azure again.', cause });
}

function tokenError(error: unknown): unknown {
  if (error instanceof AcrStreamingError || isAbortError(error)) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isNetworkError(error)) {
    return new AcrStreamingError('NETWORK', `Could not reach Microsoft Entra ID for an Azure token: ${message}`, {
      hint: 'Check your network connection, then try again.',
      cause: error,
    });
  }
  return signInAgain(`Could not get an Azure token: ${message}`, error);
}
