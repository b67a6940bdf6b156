/**
 * The one HTTP stack of the core: `@azure/core-rest-pipeline`, the same the Azure SDK uses, with
 * the core's retry policy (exponential backoff for 5xx, 408 and dropped connections, also in the
 * middle of a body for reads; `Retry-After` for 429/503 up to a cap), our per-attempt timeout,
 * request logging and the shared ACR authentication.
 *
 * Two pipelines: idempotent requests are retried; a conversion POST is not, because a retry
 * after a lost reply could start a second conversion (`createStreamingArtifact` checks first).
 */
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  redirectPolicy,
  isRestError,
  userAgentPolicy,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { AcrStreamingError, isAbortError } from '../errors';
import type { Logger } from '../logger';
import type { RegistryEndpoint } from '../reference';
import { brokenBodyPolicy } from './brokenBodyPolicy';
import { requestLogPolicy } from './requestLogPolicy';
import { errorFromReply, parseRetryAfter } from './responseErrors';
import { acrRetryPolicy, retryAfterOf } from './retryPolicy';
import { timeoutPolicy } from './timeoutPolicy';

export interface TransportOptions {
  logger: Logger;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  /** Longest `Retry-After` slept through; longer ones fail with TOO_MANY_REQUESTS. Default 60 s. */
  maxRetryAfterMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/acr/v1/repo/_streaming`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** What the request does, for error messages: "Reading the tags of samples/hello". */
  what: string;
  /** Statuses that are not errors (default: 2xx). */
  okStatuses?: number[];
  /** False for requests that must not be repeated blindly. Default true. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface HttpReply {
  status: number;
  headers: { get(name: string): string | undefined };
  bodyText: string;
  retryAfterMs?: number;
  /** How many times the request went on the wire (more than 1 after retries). */
  attempts?: number;
}

/** Attempts per request, counted below the retry policy so that each retry is seen. */
const attemptCounts = new WeakMap<PipelineRequest, number>();

const attemptCountPolicy: PipelinePolicy = {
  name: 'acrStreamingAttemptCountPolicy',
  sendRequest: (request, next) => {
    attemptCounts.set(request, (attemptCounts.get(request) ?? 0) + 1);
    return next(request);
  },
};

export function createPipeline(options: TransportOptions, retry: boolean, extra: PipelinePolicy[], crossOriginRedirects = true): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgent }));
  // ACR answers blob GETs with a redirect to storage; the policy drops Authorization when it
  // follows, and the auth policy (below it) sends nothing to another origin.
  pipeline.addPolicy(redirectPolicy({ allowCrossOriginRedirects: crossOriginRedirects, maxRetries: 5 }));
  if (retry) {
    pipeline.addPolicy(acrRetryPolicy(options), { phase: 'Retry' });
    pipeline.addPolicy(brokenBodyPolicy, { afterPhase: 'Retry' });
  }
  pipeline.addPolicy(timeoutPolicy(options.timeoutMs), { afterPhase: 'Retry' });
  pipeline.addPolicy(attemptCountPolicy, { afterPhase: 'Retry' });
  for (const policy of extra) {
    pipeline.addPolicy(policy, { phase: 'Sign' });
  }
  // Last, so that every request on the wire is logged: retries and the re-send after a challenge.
  pipeline.addPolicy(requestLogPolicy(options.logger), { phase: 'Sign' });
  return pipeline;
}

export class HttpTransport {
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  private readonly retrying: Pipeline;
  private readonly once: Pipeline;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    options: TransportOptions,
    auth: PipelinePolicy,
  ) {
    this.retrying = createPipeline(options, true, [auth]);
    this.once = createPipeline(options, false, [auth]);
  }

  /**
   * Sends through the retrying pipeline without the auth policy (token requests). A redirect to
   * another origin is not followed: a 307 would re-send the form, and its token, there.
   */
  static tokenSender(options: TransportOptions): (request: PipelineRequest) => Promise<PipelineResponse> {
    const client = createDefaultHttpClient();
    const pipeline = createPipeline(options, true, [], false);
    return (request) => pipeline.sendRequest(client, request);
  }

  async send(request: HttpRequest): Promise<HttpReply> {
    const url = `${this.endpoint.baseUrl}${request.path}`;
    const pipelineRequest = createPipelineRequest({
      url,
      method: request.method,
      headers: createHttpHeaders(request.headers),
      body: request.body,
      abortSignal: request.signal,
      allowInsecureConnection: url.startsWith('http:'),
    });
    const pipeline = request.idempotent === false ? this.once : this.retrying;
    let response: PipelineResponse;
    try {
      response = await pipeline.sendRequest(this.httpClient, pipelineRequest);
    } catch (error) {
      throw this.transportError(error, request);
    }
    const reply: HttpReply = {
      status: response.status,
      headers: { get: (name) => response.headers.get(name) },
      bodyText: response.bodyAsText ?? '',
      // The wait the retry policy read (retry-after-ms first on 429/503), else Retry-After (202 polls).
      retryAfterMs: retryAfterOf(response) ?? parseRetryAfter(response.headers.get('retry-after')),
      attempts: attemptCounts.get(pipelineRequest) ?? 1,
    };
    const ok = request.okStatuses ? request.okStatuses.includes(reply.status) : reply.status >= 200 && reply.status < 300;
    if (!ok) {
      throw errorFromReply(reply, request.what, this.endpoint.loginServer);
    }
    return reply;
  }

  private transportError(error: unknown, request: HttpRequest): AcrStreamingError {
    if (error instanceof AcrStreamingError) {
      return error;
    }
    if (request.signal?.aborted || isAbortError(error)) {
      return new AcrStreamingError('CANCELLED', `${request.what} was cancelled.`, { cause: error });
    }
    const code = isRestError(error) ? error.code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
      return new AcrStreamingError('TIMEOUT', `${request.what} timed out: ${this.endpoint.loginServer} did not answer in time.`, {
        hint: 'The registry may be busy or unreachable; try again.',
        cause: error,
      });
    }
    return new AcrStreamingError('NETWORK', `${request.what} failed: could not reach ${this.endpoint.loginServer} (${message}).`, {
      hint: 'Check the registry address and your network connection, then try again.',
      cause: error,
    });
  }
}

/** Parses a JSON reply, or fails with INVALID_RESPONSE naming what was being read. */
export function parseJson(reply: HttpReply, what: string, loginServer: string): unknown {
  try {
    return JSON.parse(reply.bodyText);
  } catch {
    throw new AcrStreamingError('INVALID_RESPONSE', `${what}: ${loginServer} answered with something that is not JSON.`, {
      hint: 'Check that the address points at an Azure Container Registry (or a compatible registry).',
    });
  }
}
