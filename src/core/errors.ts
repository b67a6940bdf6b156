/**
 * Typed errors of the core. Every failure that reaches a caller is an `AcrStreamingError`
 * with a stable `code` (the ACR code where the registry gave one) and a message that says
 * what to do next. UIs map codes to actions; nothing upstream parses message text.
 */
import { redactSecrets } from './logger';

/** ACR's documented conversion failure codes (Microsoft Learn, troubleshoot artifact streaming). */
export const CONVERSION_FAILURE_CODES = [
  'UNKNOWN_ERROR',
  'RESOURCE_NOT_FOUND',
  'UNSUPPORTED_PLATFORM',
  'NO_SUPPORTED_PLATFORM_FOUND',
  'UNSUPPORTED_MEDIATYPE',
  'UNSUPPORTED_ARTIFACT_TYPE',
  'IMAGE_NOT_RUNNABLE',
] as const;
export type ConversionFailureCode = (typeof CONVERSION_FAILURE_CODES)[number];

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'NOT_FOUND'
  | 'NAME_UNKNOWN'
  | 'MANIFEST_UNKNOWN'
  | 'TOO_MANY_REQUESTS'
  | 'SERVER_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'INVALID_RESPONSE'
  | 'CONVERSION_FAILED'
  | 'CONVERSION_CANCELED'
  | ConversionFailureCode
  | 'REGISTRY_ERROR'
  /** Registry-level refusals of artifact streaming (Azure Resource Manager properties). */
  | 'SKU_NOT_PREMIUM'
  | 'CUSTOMER_MANAGED_KEYS'
  /** A failure of our own (a bug), not of the registry or the network. */
  | 'INTERNAL';

export interface ErrorOptions {
  /** HTTP status of the reply that caused it, where there was one. */
  status?: number;
  /** What the user can do about it; shown after the message. */
  hint?: string;
  cause?: unknown;
  /** The server's `Retry-After`, in milliseconds (with `TOO_MANY_REQUESTS`, sometimes 5xx). */
  retryAfterMs?: number;
}

/** Messages carry server text and user input: secrets in them are removed here, once for every error. */
export class AcrStreamingError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly hint?: string;
  /** How long the server asked to wait before trying again, when it said so. */
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AcrStreamingError';
    this.code = code;
    this.status = options.status;
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Message and hint in one line, for a CLI or a notification. */
  describe(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** Bad user input: nothing was sent to any registry. `part` names what was wrong. */
export class InvalidInputError extends AcrStreamingError {
  readonly part: string;

  constructor(part: string, message: string, hint?: string) {
    super('INVALID_INPUT', message, { hint });
    this.name = 'InvalidInputError';
    this.part = part;
  }
}

export function isAcrStreamingError(value: unknown): value is AcrStreamingError {
  return value instanceof AcrStreamingError;
}

/**
 * Turns anything thrown into an `AcrStreamingError` without losing the original. Only real
 * network failures become NETWORK; anything else unexpected (a TypeError, say) is a bug of
 * ours and becomes INTERNAL, so it is not retried or blamed on the registry.
 */
export function toAcrStreamingError(error: unknown): AcrStreamingError {
  if (error instanceof AcrStreamingError) {
    return error;
  }
  if (isAbortError(error)) {
    return new AcrStreamingError('CANCELLED', 'The request was cancelled.', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isNetworkError(error)) {
    return new AcrStreamingError('NETWORK', `Could not reach the registry: ${message}`, {
      hint: 'Check the registry address and your network connection, then try again.',
      cause: error,
    });
  }
  return new AcrStreamingError('INTERNAL', `Something went wrong: ${message}`, {
    hint: 'This is probably a bug. Please report it, with the log of what happened before.',
    cause: error,
  });
}

const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // core-rest-pipeline's wrapper for a request that never got an answer.
  'REQUEST_SEND_ERROR',
]);

/** True for failures to reach a server: Node socket/DNS errors, undici's, core-rest-pipeline's. */
export function isNetworkError(error: unknown): boolean {
  // The cause chain is followed because fetch and core-rest-pipeline wrap the socket error.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || code.startsWith('UND_ERR_'))) {
      return true;
    }
    // undici's fetch rejects with TypeError('fetch failed') whatever the socket said.
    if (current instanceof TypeError && current.message === 'fetch failed') {
      return true;
    }
    current = current.cause;
  }
  return false;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** What to do about each conversion failure code, as the ACR troubleshooting guide says. */
export const CONVERSION_FAILURE_HINTS: Record<ConversionFailureCode, string> = {
  UNKNOWN_ERROR: 'An internal error stopped the conversion. Try again; if it keeps failing, contact Azure support.',
  RESOURCE_NOT_FOUND: 'The image digest was not found: it may have been deleted or not yet replicated. Check the image and try again.',
  UNSUPPORTED_PLATFORM: 'Only linux/amd64 images can be streamed. Build and push a linux/amd64 image.',
  NO_SUPPORTED_PLATFORM_FOUND: 'Only the linux/amd64 entry of an index is converted: add a linux/amd64 image to the index.',
  UNSUPPORTED_MEDIATYPE: 'Only OCI image manifests/indexes and Docker v2 manifests/manifest lists can be streamed.',
  UNSUPPORTED_ARTIFACT_TYPE: 'This is already a streaming artifact; convert the original image instead.',
  IMAGE_NOT_RUNNABLE: 'This artifact (for example a signature or an SBOM) is not a runnable image and cannot be streamed.',
};

export function isConversionFailureCode(code: string | undefined): code is ConversionFailureCode {
  return code !== undefined && (CONVERSION_FAILURE_CODES as readonly string[]).includes(code);
}
