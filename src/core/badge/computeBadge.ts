/** The one place that decides an image's badge from what the registry said about it. */
import { CONVERSION_FAILURE_HINTS, isConversionFailureCode } from '../errors';
import { STREAMING_ARTIFACT_TYPE } from '../mediaTypes';
import { isOngoing } from '../models';
import type { Descriptor, ManifestSummary, StreamingOperation } from '../models';
import type { BadgeState } from './badgeState';
import { findUnsupportedReason, oneLine } from './preflight';

export interface BadgeInput {
  manifest: ManifestSummary;
  /** Referrers of the image (and, for an index, of its linux/amd64 entry). Others are ignored. */
  streamingReferrers: Descriptor[];
  lastOperation?: StreamingOperation;
}

const GENERIC_FAILURE_HINT = 'Check the operation details, then start the conversion again.';
// Codes are shown in badges; anything that does not look like one is treated as unknown.
const CODE_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0;
}

export function isStreamingArtifact(descriptor: Descriptor): boolean {
  return descriptor.artifactType === STREAMING_ARTIFACT_TYPE;
}

/**
 * Precedence: unsupported > converting > streamed > failed > not-converted. A conversion in
 * progress wins over an existing artifact because it is what the user is waiting for; an
 * existing artifact wins over an older failure because the image streams anyway.
 */
export function computeBadge(input: BadgeInput): BadgeState {
  const finding = findUnsupportedReason(input.manifest);
  if (finding) {
    return { kind: 'unsupported', ...finding };
  }
  const operation = input.lastOperation;
  if (operation && isOngoing(operation.status)) {
    return { kind: 'converting', progress: clampProgress(operation.progress), operation };
  }
  const artifacts = input.streamingReferrers.filter(isStreamingArtifact);
  if (artifacts.length > 0) {
    return { kind: 'streamed', artifacts };
  }
  if (operation?.status === 'Failed') {
    const code = operation.errorCode && CODE_RE.test(operation.errorCode) ? operation.errorCode : 'UNKNOWN_ERROR';
    const details = operation.details === undefined ? '' : oneLine(operation.details, 300);
    return {
      kind: 'failed',
      code,
      message: details ? `The conversion failed: ${details}` : 'The conversion failed.',
      hint: isConversionFailureCode(code) ? CONVERSION_FAILURE_HINTS[code] : GENERIC_FAILURE_HINT,
      operation,
    };
  }
  return operation ? { kind: 'not-converted', lastOperation: operation } : { kind: 'not-converted' };
}
