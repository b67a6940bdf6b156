/**
 * The OCI 1.1 referrers tag schema: tag `sha256-<hex>` holds an index of the subject's
 * referrers. These tags (and the indexes the emulator writes for them) are bookkeeping, hidden
 * from ACR listings as ACR itself has none.
 */

export const FALLBACK_TAG_PATTERN = /^sha256-[a-f0-9]{64}$/;

/** Annotation the emulator puts on the fallback indexes it writes (value: the subject digest). */
export const FALLBACK_MARKER_ANNOTATION = 'io.acr-emulator.referrers-fallback';

export function isFallbackTag(tag: string): boolean {
  return FALLBACK_TAG_PATTERN.test(tag);
}

export function fallbackTagFor(subjectDigest: string): string {
  return subjectDigest.replace(':', '-');
}
