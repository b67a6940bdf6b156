/** Logs each request and its outcome. Secrets are removed by the redacting logger it writes to. */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Logger } from '../logger';

export function requestLogPolicy(logger: Logger): PipelinePolicy {
  return {
    name: 'acrStreamingRequestLogPolicy',
    sendRequest: async (request, next) => {
      const started = Date.now();
      const target = `${request.method} ${request.url}`;
      try {
        const response = await next(request);
        const line = `${target} → ${response.status} (${Date.now() - started} ms)`;
        if (response.status >= 500 || response.status === 429) {
          logger.warn(line);
        } else {
          logger.debug(line);
        }
        return response;
      } catch (error) {
        logger.warn(`${target} → ${error instanceof Error ? error.message : String(error)} (${Date.now() - started} ms)`);
        throw error;
      }
    },
  };
}
