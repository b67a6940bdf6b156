/**
 * The retry policy of every pipeline of the core (ours, the container-registry SDK's, ARM's and
 * the token requests'), in place of core-rest-pipeline's `defaultRetryPolicy`, which differs in
 * two ways that matter here:
 * - it honours any `Retry-After`, so a 429 with `Retry-After: 3600` sleeps for an hour. Here a
 *   wait longer than `maxRetryAfterMs` is not slept: the throttled reply is handed back at once
 *   and becomes a TOO_MANY_REQUESTS error that says when to retry (see `responseErrors`);
 * - it does not retry a reply that broke off in its body (see `brokenBodyPolicy`).
 * Backoff is exponential with jitter, for 408, 429 without `Retry-After`, 5xx (not 501/505) and
 * dropped connections.
 */
import { retryPolicy, type PipelinePolicy, type PipelineResponse, type RestError, type RetryStrategy } from '@azure/core-rest-pipeline';
import { brokenBodyPolicy } from './brokenBodyPolicy';
import { parseRetryAfter } from './responseErrors';

/** The longest `Retry-After` the core sleeps through before a retry; longer ones fail at once. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** The core's name for the policy, so that the SDK pipelines can be checked for it. */
export const ACR_RETRY_POLICY_NAME = 'acrStreamingRetryPolicy';
/** core-rest-pipeline's name for the policy `createPipelineFromOptions` adds (not exported by it). */
export const SDK_RETRY_POLICY_NAME = 'defaultRetryPolicy';

export interface RetryOptions {
  maxRetries: number;
  /** First backoff delay. */
  retryDelayMs: number;
  /** Longest backoff delay; default 30 s. */
  maxRetryDelayMs?: number;
  /** Longest `Retry-After` honoured; default `MAX_RETRY_AFTER_MS`. Tests lower it. */
  maxRetryAfterMs?: number;
}

const SYSTEM_ERROR_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** The server's wait, from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After`, on a 429 or 503. */
export function retryAfterOf(response: PipelineResponse | undefined): number | undefined {
  if (!response || (response.status !== 429 && response.status !== 503)) {
    return undefined;
  }
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(response.headers.get(name));
    if (response.headers.get(name) && Number.isFinite(ms) && ms >= 0) {
      return ms;
    }
  }
  return parseRetryAfter(response.headers.get('retry-after'));
}

function throttlingStrategy(maxRetryAfterMs: number): RetryStrategy {
  return {
    name: 'acrStreamingThrottlingStrategy',
    retry: ({ response }) => {
      const wait = retryAfterOf(response);
      // Beyond the cap, no strategy retries: the reply goes back and fails with when to retry.
      return wait !== undefined && wait <= maxRetryAfterMs ? { retryAfterInMs: wait } : { skipStrategy: true };
    },
  };
}

function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

function isTransientError(error: RestError | undefined): boolean {
  return error !== undefined && error.code !== undefined && SYSTEM_ERROR_CODES.has(error.code);
}

function backoffStrategy(retryDelayMs: number, maxRetryDelayMs: number): RetryStrategy {
  return {
    name: 'acrStreamingBackoffStrategy',
    retry: ({ retryCount, response, responseError }) => {
      // A reply that named its own wait was the throttling strategy's to retry or to hand back.
      const transient = response ? retryAfterOf(response) === undefined && isTransientStatus(response.status) : isTransientError(responseError);
      if (!transient) {
        return { skipStrategy: true };
      }
      const exponential = Math.min(retryDelayMs * 2 ** retryCount, maxRetryDelayMs);
      // Jitter between 80% and 120%, so that many clients do not retry in step.
      return { retryAfterInMs: Math.round(exponential * (0.8 + Math.random() * 0.4)) };
    },
  };
}

export function acrRetryPolicy(options: RetryOptions): PipelinePolicy {
  const inner = retryPolicy(
    [throttlingStrategy(options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS), backoffStrategy(options.retryDelayMs, options.maxRetryDelayMs ?? 30_000)],
    { maxRetries: options.maxRetries },
  );
  return { name: ACR_RETRY_POLICY_NAME, sendRequest: inner.sendRequest };
}

/** An SDK client's pipeline, as far as the retry policies go (core-rest-pipeline's `Pipeline`). */
interface RetryablePipeline {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: PipelinePolicy, options: { phase?: 'Retry'; afterPhase?: 'Retry' }): void;
}

/** Puts the core's retry (and the broken-body rule under it) into an SDK client's pipeline. */
export function useCoreRetry(pipeline: RetryablePipeline, options: RetryOptions): void {
  pipeline.removePolicy({ name: SDK_RETRY_POLICY_NAME });
  pipeline.addPolicy(acrRetryPolicy(options), { phase: 'Retry' });
  pipeline.addPolicy(brokenBodyPolicy, { afterPhase: 'Retry' });
}
