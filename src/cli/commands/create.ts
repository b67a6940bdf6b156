/**
 * `acr-streaming create --image REF [--no-wait] [--timeout S]`: creates the streaming artifact
 * of one image through the core's idempotent path (an existing artifact is a skip, an ongoing
 * conversion is reused, a lost POST reply is never repeated blindly), then waits for the end.
 */
import { isStreamingArtifact } from '../../core/badge/computeBadge';
import { createStreamingArtifact } from '../../core/createStreamingArtifact';
import { AcrStreamingError, CONVERSION_FAILURE_HINTS, InvalidInputError, isConversionFailureCode } from '../../core/errors';
import { silentLogger } from '../../core/logger';
import { STREAMING_ARTIFACT_TYPE } from '../../core/mediaTypes';
import type { Descriptor, StreamingOperation } from '../../core/models';
import type { ImageReference } from '../../core/reference';
import { ExitCode } from '../exitCodes';
import { parseCommon, parseTimeoutSeconds, requireImage, type CommonInput, type CommonRaw, type ValidationContext } from '../options';
import { progressText } from '../progressText';
import type { Session } from '../session';
import { descriptorDetails, descriptorJson, operationJson, operationLines } from '../views';
import { waitForOperation } from '../waitForOperation';
import { displayImage, registryArgument } from './imageTarget';

export interface CreateRaw extends CommonRaw {
  image?: string;
  /** false with --no-wait. */
  wait?: boolean;
  timeout?: string;
}

export interface CreateInput {
  common: CommonInput;
  image: ImageReference;
  wait: boolean;
  timeoutMs?: number;
}

export function parseCreate(raw: CreateRaw, context: ValidationContext): CreateInput {
  const image = requireImage(raw.image);
  const common = parseCommon(raw, context, image);
  const wait = raw.wait !== false;
  const timeoutMs = parseTimeoutSeconds(raw.timeout);
  if (!wait && timeoutMs !== undefined) {
    throw new InvalidInputError('timeout', '--timeout limits the wait, so it cannot be used with --no-wait.');
  }
  return { common, image, wait, timeoutMs };
}

export async function runCreate(input: CreateInput, session: Session): Promise<ExitCode> {
  const { registry, streaming, endpoint } = session.connection;
  const image = displayImage(input.image);
  const outcome = await createStreamingArtifact(registry, streaming, input.image, {
    signal: session.signal,
    logger: session.logger,
    retryDelayMs: session.deps.createRetryDelayMs,
  });

  if (outcome.kind === 'exists') {
    const list = outcome.artifacts.map((a) => `${a.digest}${describe(a)}`).join(', ');
    session.print({
      data: { image, digest: outcome.digest, result: 'exists', waited: false, artifacts: outcome.artifacts.map(descriptorJson) },
      lines: [`${image} (${outcome.digest}) already has a streaming artifact: ${list}. Nothing to do.`],
    });
    return ExitCode.Success;
  }

  const started = outcome.operation;
  const showCommand = `acr-streaming operation show --registry ${registryArgument(endpoint)} --repository ${input.image.repository} --id ${started.id}`;
  const how = outcome.kind === 'reused' ? 'A conversion was already under way' : 'Started the conversion';
  if (!input.wait) {
    session.print({
      data: { image, digest: outcome.digest, result: outcome.kind, waited: false, operation: operationJson(withDigest(started, outcome.digest)) },
      lines: [`${how} of ${image} (${outcome.digest}): operation ${started.id}, ${started.status}.`, `Follow it with: ${showCommand}`],
    });
    return ExitCode.Success;
  }

  session.channel.line(`${how} of ${image} (${outcome.digest}): operation ${started.id}.`);
  const began = Date.now();
  let final: StreamingOperation;
  try {
    final = await waitForOperation(streaming, withDigest(started, outcome.digest), {
      loginServer: endpoint.loginServer,
      image,
      showCommand,
      onUpdate: (tracked) => session.channel.progress(progressText(image, tracked)),
      logger: session.common.verbose ? session.logger : silentLogger,
      policy: session.deps.pollPolicy,
      clock: session.deps.clock,
      signal: session.signal,
      timeoutMs: input.timeoutMs,
      maxRetryAfterMs: session.deps.connectOptions?.maxRetryAfterMs,
    });
  } finally {
    session.channel.endProgress();
  }
  final = withDigest(final, outcome.digest);
  const seconds = Math.round((Date.now() - began) / 1000);

  if (final.status !== 'Succeeded') {
    session.print({
      data: { image, digest: outcome.digest, result: outcome.kind, waited: true, operation: operationJson(final) },
      lines: operationLines(final),
    });
    throw conversionError(image, final);
  }
  const artifacts = await streamingArtifacts(session, input.image.repository, outcome.digest);
  const artifactText = artifacts.length > 0 ? ` Streaming artifact: ${artifacts.map((a) => `${a.digest}${describe(a)}`).join(', ')}.` : '';
  session.print({
    data: { image, digest: outcome.digest, result: outcome.kind, waited: true, operation: operationJson(final), artifacts: artifacts.map(descriptorJson) },
    lines: [`Converted ${image} (${outcome.digest}) in ${seconds} s: operation ${final.id} Succeeded.${artifactText}`],
  });
  return ExitCode.Success;
}

function withDigest(operation: StreamingOperation, digest: string): StreamingOperation {
  return { ...operation, digest: operation.digest ?? digest };
}

function describe(artifact: Descriptor): string {
  const details = descriptorDetails(artifact);
  return details ? ` (${details})` : '';
}

/** The artifact a finished conversion left; a failure to list it is a warning, not a failed create. */
async function streamingArtifacts(session: Session, repository: string, digest: string): Promise<Descriptor[]> {
  try {
    const referrers = await session.connection.streaming.listReferrers(repository, digest, { artifactType: STREAMING_ARTIFACT_TYPE, signal: session.signal });
    return referrers.filter(isStreamingArtifact);
  } catch (error) {
    session.logger.warn(`The conversion succeeded, but listing its streaming artifact failed: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

function conversionError(image: string, operation: StreamingOperation): AcrStreamingError {
  if (operation.status === 'Canceled') {
    return new AcrStreamingError('CONVERSION_CANCELED', `The conversion of ${image} (operation ${operation.id}) was cancelled.`, {
      hint: 'Run create again to start a new conversion.',
    });
  }
  const code = operation.errorCode;
  const details = operation.details ? `: ${operation.details}` : '.';
  return new AcrStreamingError(isConversionFailureCode(code) ? code : 'CONVERSION_FAILED', `The conversion of ${image} (operation ${operation.id}) failed${code ? ` (${code})` : ''}${details}`, {
    hint: isConversionFailureCode(code) ? CONVERSION_FAILURE_HINTS[code] : 'See the operation details; run create again to retry.',
  });
}
