/**
 * Creates the streaming artifact of one image, as `az acr artifact-streaming create` does, but
 * safe to repeat and safe under retries: an image ACR would refuse is refused before any POST;
 * an existing artifact or an ongoing conversion is returned instead of starting another; and a
 * POST whose reply was lost is never repeated blindly: the registry is asked first whether it
 * landed.
 */
import type { RegistryApi, StreamingApi } from './api';
import { sleep as abortableSleep, throwIfAborted } from './badge/abort';
import { assertManifestMatches, listStreamingReferrers } from './badge/loadBadge';
import { assertConvertible } from './badge/preflight';
import { AcrStreamingError, InvalidInputError, toAcrStreamingError } from './errors';
import type { ErrorCode } from './errors';
import { silentLogger } from './logger';
import type { Logger } from './logger';
import { isOngoing } from './models';
import type { Descriptor, StreamingOperation } from './models';
import { formatImageReference, isValidDigest, validateDigest, validateRepository } from './reference';
import type { ImageReference } from './reference';

export type CreateOutcome =
  /** A streaming artifact already exists: nothing was started. */
  | { kind: 'exists'; digest: string; artifacts: Descriptor[] }
  /** A conversion was already under way (or our earlier POST landed): no second POST. */
  | { kind: 'reused'; digest: string; operation: StreamingOperation }
  | { kind: 'started'; digest: string; operation: StreamingOperation };

export interface CreateOptions {
  signal?: AbortSignal;
  /** Convert even when a streaming artifact exists. An ongoing conversion is still reused. */
  force?: boolean;
  /** POST attempts in all; default 3. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one; default 1000 ms. */
  retryDelayMs?: number;
  /** Injectable wait, for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: Logger;
}

/** Failures after which the POST may or may not have reached the registry. */
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['NETWORK', 'TIMEOUT', 'SERVER_ERROR', 'TOO_MANY_REQUESTS']);
const MAX_RETRY_DELAY_MS = 60_000;

export function isTransient(error: AcrStreamingError): boolean {
  return TRANSIENT_CODES.has(error.code);
}

export async function createStreamingArtifact(
  registry: RegistryApi,
  streaming: StreamingApi,
  image: ImageReference,
  options: CreateOptions = {},
): Promise<CreateOutcome> {
  const { signal } = options;
  throwIfAborted(signal);
  const repository = validateRepository(image.repository);
  if (image.registry && image.registry.toLowerCase() !== registry.loginServer.toLowerCase()) {
    throw new InvalidInputError(
      'registry',
      `${formatImageReference(image, true)} is in ${image.registry}, but this connection is to ${registry.loginServer}.`,
      'Connect to the registry the image is in, or drop the registry from the reference.',
    );
  }
  const digest = await resolveImageDigest(registry, repository, image, signal);

  // Pre-flight: an image ACR cannot convert is refused here, before anything is POSTed.
  const manifest = await registry.getManifest(repository, digest, { signal });
  assertManifestMatches(manifest, digest);
  assertConvertible(manifest);

  if (!options.force) {
    const artifacts = await listStreamingReferrers(streaming, repository, manifest, { signal });
    if (artifacts.length > 0) {
      return { kind: 'exists', digest, artifacts };
    }
  }
  const before = await streaming.getLastOperation(repository, digest, { signal });
  if (before && isOngoing(before.status)) {
    return { kind: 'reused', digest, operation: before };
  }
  return startSafely(streaming, repository, digest, before, options);
}

async function resolveImageDigest(registry: RegistryApi, repository: string, image: ImageReference, signal?: AbortSignal): Promise<string> {
  if (image.tag === undefined && image.digest === undefined) {
    throw new InvalidInputError('image', `${repository} names no tag or digest.`, `Add one, for example "${repository}:latest".`);
  }
  const given = image.digest === undefined ? undefined : validateDigest(image.digest);
  if (image.tag === undefined) {
    return given as string;
  }
  const resolved = await registry.resolveDigest(repository, image.tag, { signal });
  if (!isValidDigest(resolved)) {
    throw new AcrStreamingError('INVALID_RESPONSE', `The registry resolved ${repository}:${image.tag} to "${resolved}", which is not a digest.`);
  }
  if (given !== undefined && given !== resolved) {
    throw new InvalidInputError(
      'digest',
      `${repository}:${image.tag} points to ${resolved}, not to ${given}.`,
      'The tag has moved: give only the tag or only the digest.',
    );
  }
  return resolved;
}

/**
 * POSTs the conversion, at most `maxAttempts` times. After a transient failure the POST may have
 * landed, so before each retry (and before giving up) the last operation is read: if one newer
 * than `before` exists, it is ours.
 */
async function startSafely(
  streaming: StreamingApi,
  repository: string,
  digest: string,
  before: StreamingOperation | undefined,
  options: CreateOptions,
): Promise<CreateOutcome> {
  const { signal } = options;
  const attempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelay = options.retryDelayMs ?? 1_000;
  const sleep = options.sleep ?? abortableSleep;
  const logger = options.logger ?? silentLogger;
  const image = `${repository}@${digest}`;
  let lastError: AcrStreamingError | undefined;

  const landed = async (): Promise<StreamingOperation | undefined> => {
    const now = await streaming.getLastOperation(repository, digest, { signal });
    // Ongoing: our POST or someone else's; either way no second conversion is wanted.
    // A different id than before: our POST landed and the operation already ended.
    if (now && (isOngoing(now.status) || now.id !== before?.id)) {
      return now;
    }
    return undefined;
  };
  const wait = (retry: number): Promise<void> => {
    const backoff = Math.min(baseDelay * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
    return sleep(Math.max(backoff, Math.min(lastError?.retryAfterMs ?? 0, MAX_RETRY_DELAY_MS)), signal);
  };

  for (let attempt = 1; attempt <= attempts + 1; attempt++) {
    if (attempt > 1) {
      await wait(attempt - 1);
      try {
        const operation = await landed();
        if (operation) {
          logger.info(`The conversion of ${image} is under way (operation ${operation.id}); not starting another.`);
          return { kind: 'reused', digest, operation };
        }
      } catch (error) {
        const checkError = toAcrStreamingError(error);
        if (!isTransient(checkError)) {
          throw checkError;
        }
        // Cannot tell whether the POST landed: do not risk a second one in this round.
        lastError = checkError;
        continue;
      }
    }
    // The last round only checks: every POST attempt has been spent.
    if (attempt > attempts) {
      break;
    }
    try {
      const operation = await streaming.startConversion(repository, digest, { signal });
      return { kind: 'started', digest, operation };
    } catch (error) {
      const postError = toAcrStreamingError(error);
      if (!isTransient(postError)) {
        throw postError;
      }
      lastError = postError;
      logger.warn(`Starting the conversion of ${image} failed (${postError.code}, attempt ${attempt} of ${attempts}): ${postError.message}`);
    }
  }
  const last = lastError as AcrStreamingError;
  throw new AcrStreamingError(last.code, `Could not start the conversion of ${image} after ${attempts} attempts: ${last.message}`, {
    status: last.status,
    retryAfterMs: last.retryAfterMs,
    cause: last,
    hint:
      'It may or may not have started: check the image\'s last operation. Running create again is safe: ' +
      'an ongoing conversion is reused, never started twice.',
  });
}
