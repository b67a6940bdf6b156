/**
 * Fits an ARM SDK client's pipeline to the core: our bearer policy instead of the SDK's (which
 * refuses http, even to the local emulator), the core's retry policy instead of the SDK's (so a
 * long `Retry-After` fails at once instead of being slept through), our per-attempt timeout under
 * it, and our request log. `pipeline` is public API of core-client's ServiceClient.
 */
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, type Pipeline } from '@azure/core-rest-pipeline';
import type { Logger } from '../logger';
import { requestLogPolicy } from '../http/requestLogPolicy';
import { useCoreRetry } from '../http/retryPolicy';
import { timeoutPolicy } from '../http/timeoutPolicy';
import { armBearerPolicy } from './armBearerPolicy';

export interface ArmPipelineOptions {
  credential: TokenCredential;
  scope: string;
  /** The Resource Manager endpoint: the only origin that gets the token. */
  endpoint: string;
  /** Already redacting. */
  logger: Logger;
  timeoutMs: number;
  maxRetries?: number;
  retryDelayMs?: number;
  maxRetryAfterMs?: number;
}

export function adaptArmPipeline(pipeline: Pipeline, options: ArmPipelineOptions): void {
  pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  // The SDK's defaults: 3 retries from 1 s.
  useCoreRetry(pipeline, { maxRetries: options.maxRetries ?? 3, retryDelayMs: options.retryDelayMs ?? 1_000, maxRetryAfterMs: options.maxRetryAfterMs });
  pipeline.addPolicy(timeoutPolicy(options.timeoutMs), { afterPhase: 'Retry' });
  pipeline.addPolicy(armBearerPolicy({ credential: options.credential, scope: options.scope, endpoint: options.endpoint }), { phase: 'Sign' });
  // After the bearer policy, so the re-send after a claims challenge is logged too.
  pipeline.addPolicy(requestLogPolicy(options.logger), { phase: 'Sign' });
}
