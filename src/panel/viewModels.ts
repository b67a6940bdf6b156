/**
 * Maps the core's types to the panel's plain view models, and trims whatever a registry sent
 * to the protocol's bounds so that one oversized annotation cannot get a whole message
 * rejected.
 */
import { CONVERSION_FAILURE_HINTS, isConversionFailureCode } from '../core/errors';
import type { Descriptor } from '../core/models';
import { isValidDigest, isValidRepository } from '../core/reference';
import { UNKNOWN_OPERATION_TEXT } from '../core/tracker/trackedOperation';
import type { TrackedOperation } from './panelDataSource';
import { isValidLoginServer, LIMITS, type OperationView, type ReferrerView } from './protocol';

export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** Said when ACR reports a failure without one of its documented codes. */
/** An operation the registry stopped knowing: say so, and how to look again. */
export const UNKNOWN_OPERATION_HINT = `${capitalized(UNKNOWN_OPERATION_TEXT)}. It may have expired; run Show Operation on the image to look again.`;
export const UNKNOWN_FAILURE_HINT = 'The registry did not say why the conversion failed. Try again; if it keeps failing, check the image in the Azure portal.';

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function optionalText(value: string | undefined, max: number): string | undefined {
  return value === undefined || value === '' ? undefined : truncate(value, max);
}

/** ISO time from epoch ms, an ISO string or a Date; undefined when it is none of these. */
export function toIsoTime(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  return date !== undefined && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** An error in words: the tracker keeps `{code, message}`; strings and Errors are taken too. */
export function describeError(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    const { message, code, hint } = value as { message: string; code?: unknown; hint?: unknown };
    const text = typeof hint === 'string' && hint !== '' ? `${message} ${hint}` : message;
    return typeof code === 'string' && code !== '' ? `${text} (${code})` : text;
  }
  return String(value);
}

function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  return `${algorithm}:${hex.slice(0, 12)}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to do about a failed (or failing) operation, if anything. */
export function errorHintFor(status: string, errorCode: string | undefined): string | undefined {
  if (isConversionFailureCode(errorCode)) {
    return CONVERSION_FAILURE_HINTS[errorCode];
  }
  if (status === 'Unknown') {
    return UNKNOWN_OPERATION_HINT;
  }
  return status === 'Failed' ? UNKNOWN_FAILURE_HINT : undefined;
}

export function toOperationView(op: TrackedOperation): OperationView {
  const digest = op.digest !== undefined && isValidDigest(op.digest) ? op.digest : undefined;
  const image = op.image || (digest ? `${op.repository}@${shortDigest(digest)}` : op.repository);
  const progress = Number.isFinite(op.progress) ? Math.min(100, Math.max(0, op.progress)) : 0;
  return {
    key: op.key,
    loginServer: op.loginServer,
    repository: op.repository,
    image: truncate(image, LIMITS.shortText),
    digest,
    status: op.status,
    progress,
    startTime: toIsoTime(op.startTime) ?? toIsoTime(op.trackedAt),
    updatedAt: toIsoTime(op.updatedAt) ?? new Date(0).toISOString(),
    details: optionalText(op.details, LIMITS.longText),
    errorCode: optionalText(op.errorCode, LIMITS.shortText),
    errorHint: errorHintFor(op.status, op.errorCode),
    lastError: optionalText(describeError(op.lastError), LIMITS.longText),
  };
}

/**
 * Newest first (by when tracking began), so a card keeps its place while it runs. Operations
 * with an address the protocol would reject are left out rather than sinking the message.
 */
export function toOperationViews(ops: readonly TrackedOperation[]): OperationView[] {
  const time = (op: TrackedOperation): number => Date.parse(toIsoTime(op.trackedAt) ?? '') || 0;
  return ops
    .filter((op) => op.key !== '' && op.key.length <= LIMITS.shortText && isValidLoginServer(op.loginServer) && isValidRepository(op.repository))
    .sort((a, b) => time(b) - time(a) || a.key.localeCompare(b.key))
    .slice(0, LIMITS.operations)
    .map(toOperationView);
}

/**
 * Characters of annotation values one referrers message carries in full; past it, values are
 * cut to `SHORT_ANNOTATION` characters, so a registry cannot make a message of many megabytes.
 */
export const ANNOTATION_BUDGET = 256 * 1024;
export const SHORT_ANNOTATION = 128;

export function toReferrerView(descriptor: Descriptor, maxValueLength: number = LIMITS.longText): ReferrerView {
  const annotations: Record<string, string> = {};
  const entries = Object.entries(descriptor.annotations ?? {})
    .filter(([key, value]) => key !== '' && typeof value === 'string')
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, LIMITS.annotationsPerReferrer);
  for (const [key, value] of entries) {
    // defineProperty: a `__proto__` key stays an ordinary entry.
    Object.defineProperty(annotations, truncate(key, LIMITS.annotationKey), {
      value: truncate(value, maxValueLength),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const created = descriptor.annotations?.[CREATED_ANNOTATION];
  return {
    artifactType: optionalText(descriptor.artifactType, LIMITS.shortText),
    digest: descriptor.digest,
    mediaType: truncate(descriptor.mediaType, LIMITS.shortText),
    size: Number.isSafeInteger(descriptor.size) && descriptor.size >= 0 ? descriptor.size : 0,
    created: typeof created === 'string' ? optionalText(created, LIMITS.shortText) : undefined,
    annotations,
  };
}

/** Referrers with valid digests (the rest cannot be shown or acted on), within the bounds. */
export function toReferrerViews(descriptors: readonly Descriptor[]): ReferrerView[] {
  let budget = ANNOTATION_BUDGET;
  return descriptors
    .filter((d) => typeof d.digest === 'string' && isValidDigest(d.digest))
    .slice(0, LIMITS.referrers)
    .map((descriptor) => {
      const view = toReferrerView(descriptor, budget > 0 ? LIMITS.longText : SHORT_ANNOTATION);
      for (const value of Object.values(view.annotations)) {
        budget -= value.length;
      }
      return view;
    });
}
