/**
 * A per-attempt timeout that the retry policy can see. core-rest-pipeline's own `timeout`
 * surfaces as an AbortError, which retry policies (rightly) never retry; here a timed-out
 * attempt fails with `ETIMEDOUT` instead, which they retry, while a caller's own abort still
 * ends everything at once.
 */
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

export function timeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'acrStreamingTimeoutPolicy',
    sendRequest: async (request, next) => {
      const outer = request.abortSignal;
      const controller = new AbortController();
      let timedOut = false;
      const onOuterAbort = (): void => controller.abort();
      outer?.addEventListener('abort', onOuterAbort);
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (error) {
        if (timedOut && !outer?.aborted) {
          throw new RestError(`No answer within ${Math.round(timeoutMs / 1000)} s.`, { code: 'ETIMEDOUT', request });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuterAbort);
        request.abortSignal = outer;
      }
    },
  };
}
