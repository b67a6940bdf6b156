/** An operation as the emulator keeps it (and persists it in state.json). */
import type { OperationStatus } from '../../src/core/models';

export type OperationKind = 'conversion' | 'settings';

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  repository: string;
  /** Source image digest (conversions). */
  digest?: string;
  status: OperationStatus;
  /** 0–100. */
  progress: number;
  /** RFC 3339, no fraction. */
  startTime: string;
  details: string;
  error?: { code: string; message: string };
  /** Digest of the streaming artifact a conversion pushed. */
  artifactDigest?: string;
  /** Started by a push into an Active repository rather than a request. */
  automatic?: boolean;
  /** When it last changed (ISO), to prune the oldest finished ones. */
  updatedTime: string;
}

export function rfc3339Seconds(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
