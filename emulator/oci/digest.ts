/** Content digests as the OCI distribution spec writes them (`sha256:<64 hex>`). */
import { createHash } from 'node:crypto';

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

/** The OCI 1.1 referrers-tag-schema fallback tag of a subject: `sha256-<hex>`. */
export function referrersTagFor(subjectDigest: string): string {
  if (!isDigest(subjectDigest)) {
    throw new Error(`Not a sha256 digest: ${subjectDigest}`);
  }
  return subjectDigest.replace(':', '-');
}
