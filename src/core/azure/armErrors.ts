/**
 * Azure Resource Manager failures as `AcrStreamingError`s that say what to do. ARM's body is
 * `{"error":{"code","message"}}`; its code decides (a wrong tenant, a missing role, a missing
 * subscription), the HTTP status where the code says nothing more.
 */
import { isRestError } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { AcrStreamingError, isAbortError, isNetworkError, toAcrStreamingError, type ErrorCode } from '../errors';
import { parseRetryAfter, throttledError } from '../http/responseErrors';

const armErrorBody = z.object({
  error: z.object({ code: z.string().max(200), message: z.string().max(4000).optional().nullable() }).passthrough(),
});

export interface ArmReply {
  status: number;
  bodyText?: string;
  headers?: { get(name: string): string | undefined };
}

/** An ARM reply that was not a success. */
export function armErrorFromReply(reply: ArmReply, what: string): AcrStreamingError {
  const body = parseBody(reply.bodyText);
  const armCode = body?.code;
  const detail = body?.message ? `: ${body.message}` : '';
  const message = `${what} failed (HTTP ${reply.status}${armCode ? ` ${armCode}` : ''})${detail}`;
  const { code, hint } = classify(reply, armCode, body?.message ?? '');
  if (code === 'TOO_MANY_REQUESTS') {
    return throttledError(`${what} was throttled by Azure Resource Manager (HTTP ${reply.status}${armCode ? ` ${armCode}` : ''})`, reply.status, parseRetryAfter(reply.headers?.get('retry-after')));
  }
  return new AcrStreamingError(code, message.endsWith('.') ? message : `${message}.`, {
    status: reply.status,
    hint,
    retryAfterMs: parseRetryAfter(reply.headers?.get('retry-after')),
  });
}

/** Anything an SDK call threw. */
export function armError(error: unknown, what: string, endpoint: string): AcrStreamingError {
  if (error instanceof AcrStreamingError) {
    return error;
  }
  if (isAbortError(error)) {
    return new AcrStreamingError('CANCELLED', `${what} was cancelled.`, { cause: error });
  }
  if (isRestError(error) && typeof error.statusCode === 'number') {
    const response = error.response;
    return armErrorFromReply(
      { status: error.statusCode, bodyText: response?.bodyAsText ?? undefined, headers: { get: (name) => response?.headers.get(name) } },
      what,
    );
  }
  const host = hostOf(endpoint);
  const message = error instanceof Error ? error.message : String(error);
  if (isRestError(error) && (error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT')) {
    return new AcrStreamingError('TIMEOUT', `${what} timed out: ${host} did not answer in time.`, { hint: 'Azure may be busy or unreachable; try again.', cause: error });
  }
  if (isNetworkError(error)) {
    return new AcrStreamingError('NETWORK', `${what} failed: could not reach Azure Resource Manager at ${host} (${message}).`, {
      hint: 'Check your network connection (and proxy settings), then try again.',
      cause: error,
    });
  }
  return toAcrStreamingError(error);
}

function classify(reply: ArmReply, armCode: string | undefined, armMessage: string): { code: ErrorCode; hint: string } {
  if (armCode === 'InvalidAuthenticationTokenTenant') {
    const tenant = expectedTenant(armMessage, reply.headers?.get('www-authenticate'));
    return {
      code: 'UNAUTHORIZED',
      hint: tenant
        ? `This belongs to tenant ${tenant}, not the one you are signed in to. Sign in to tenant ${tenant} and try again.`
        : 'This belongs to another tenant than the one you are signed in to. Sign in to that tenant and try again.',
    };
  }
  if (reply.status === 401) {
    return { code: 'UNAUTHORIZED', hint: 'Sign in to Azure again.' };
  }
  if (reply.status === 403) {
    return {
      code: 'DENIED',
      hint:
        armCode === 'AuthorizationFailed'
          ? 'Your account lacks the role this needs: ask for Reader (or higher) on the subscription or the registry.'
          : 'Your account is not allowed to do this; check its roles on the subscription.',
    };
  }
  if (reply.status === 404) {
    const hint =
      armCode === 'SubscriptionNotFound'
        ? 'The subscription does not exist or is not visible to this account; pick another subscription or tenant.'
        : armCode === 'ResourceGroupNotFound'
          ? 'The resource group does not exist (it may have been deleted); refresh the list.'
          : 'It does not exist (it may have been deleted or moved); refresh the list.';
    return { code: 'NOT_FOUND', hint };
  }
  if (reply.status === 429) {
    return { code: 'TOO_MANY_REQUESTS', hint: 'Azure Resource Manager is throttling requests; wait a moment and try again.' };
  }
  if (reply.status >= 500) {
    return { code: 'SERVER_ERROR', hint: 'Azure Resource Manager had an internal problem; try again shortly.' };
  }
  return { code: 'REGISTRY_ERROR', hint: 'See the message from Azure Resource Manager.' };
}

const GUID_RE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The tenant ARM wants: "It must match the tenant 'https://sts.windows.net/<tid>/'", or the challenge's authority. */
function expectedTenant(message: string, challenge: string | undefined): string | undefined {
  const fromMessage = new RegExp(`must match the tenants? '[^']*?/(${GUID_RE})/?'`).exec(message)?.[1];
  if (fromMessage) {
    return fromMessage;
  }
  const authority = new RegExp(`authority \\(URL\\) '[^']*?/(${GUID_RE})'`).exec(message)?.[1];
  return authority ?? new RegExp(`authorization_uri="[^"]*?/(${GUID_RE})"`).exec(challenge ?? '')?.[1];
}

function parseBody(text: string | undefined): { code: string; message?: string } | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const parsed = armErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? { code: parsed.data.error.code, message: parsed.data.error.message ?? undefined } : undefined;
  } catch {
    // Not JSON: the status alone has to do.
    return undefined;
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
