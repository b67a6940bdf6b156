/**
 * Makes a reply that broke off in its body retryable for reads. core-rest-pipeline reads the
 * body inside the HTTP client and reports a connection reset there as a PARSE_ERROR ("Error
 * reading response as text: aborted"), without the request and without ECONNRESET, so no retry
 * strategy sees a dropped connection. For GET and HEAD, which can be repeated safely, it is
 * turned back into the ECONNRESET it is; any other method keeps the error, so a POST is never
 * repeated behind its caller's back. Sits below the retry policy.
 */
import { RestError, isRestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

const REPEATABLE: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export const brokenBodyPolicy: PipelinePolicy = {
  name: 'acrStreamingBrokenBodyPolicy',
  sendRequest: async (request, next) => {
    try {
      return await next(request);
    } catch (error) {
      if (isRestError(error) && error.code === RestError.PARSE_ERROR && REPEATABLE.has(request.method)) {
        throw new RestError(`The connection dropped while the reply was read (${error.message}).`, { code: 'ECONNRESET', request });
      }
      throw error;
    }
  },
};
