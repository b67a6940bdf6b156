/** What the tracker keeps about one operation, and the persisted form of all of them. */
import { z } from 'zod';
import { TRACKED_STATUSES, type OperationStatus, type StreamingOperation, type TrackedStatus } from '../models';

export interface TrackedOperation {
  /** `${loginServer}|${repository}|${operationId}` */
  key: string;
  loginServer: string;
  repository: string;
  operationId: string;
  digest?: string;
  /** Display reference, e.g. `samples/hello:1.0`. */
  image?: string;
  status: TrackedStatus;
  progress: number;
  startTime?: string;
  details?: string;
  errorCode?: string;
  /** Epoch ms. */
  trackedAt: number;
  /** Epoch ms of the last change (not of the last poll). */
  updatedAt: number;
  /** The last polling failure; cleared by the next successful poll. */
  lastError?: { code: string; message: string; /** The server's Retry-After with it, ms. */ retryAfterMs?: number };
}

export type TrackerEventType = 'added' | 'updated' | 'finished' | 'removed';

export interface TrackerEvent {
  type: TrackerEventType;
  operation: TrackedOperation;
}

export interface TrackerSnapshot {
  version: 1;
  operations: TrackedOperation[];
}

export function operationKey(loginServer: string, repository: string, operationId: string): string {
  return `${loginServer}|${repository}|${operationId}`;
}

/** Ended in the registry (Succeeded, Failed, Canceled): never polled again. */
export function isFinished(status: TrackedStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Canceled';
}

/** A tracked operation whose status is one the registry gave (not `Unknown`). */
export function hasRegistryStatus(operation: TrackedOperation): operation is TrackedOperation & { status: OperationStatus } {
  return operation.status !== 'Unknown';
}

/** What a view says of an operation the registry no longer knows. */
export const UNKNOWN_OPERATION_TEXT = 'unknown: the registry no longer knows this operation';

// Persisted state comes back from storage another version may have written: bound everything.
const text = (max: number) => z.string().max(max);

export const trackedOperationSchema = z.object({
  loginServer: text(255).min(1),
  repository: text(255).min(1),
  operationId: text(200).min(1),
  digest: text(200).optional(),
  image: text(600).optional(),
  status: z.enum(TRACKED_STATUSES as [TrackedStatus, ...TrackedStatus[]]),
  progress: z.number().min(0).max(100),
  startTime: text(100).optional(),
  details: text(4_000).optional(),
  errorCode: text(100).optional(),
  trackedAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  lastError: z.object({ code: text(100), message: text(4_000), retryAfterMs: z.number().nonnegative().optional() }).optional(),
});

export const trackerSnapshotSchema = z.object({
  version: z.literal(1),
  // Entries are checked one by one, so one bad entry does not cost the others.
  operations: z.array(z.unknown()).max(10_000),
});

/** A copy the caller may keep or change without touching the tracker's state. */
export function copyOperation(operation: TrackedOperation): TrackedOperation {
  const copy = { ...operation };
  if (operation.lastError) {
    copy.lastError = { ...operation.lastError };
  }
  return copy;
}

/** The operation a tracked entry stands for, as the core's clients return it. */
export function toStreamingOperation(tracked: TrackedOperation & { status: OperationStatus }): StreamingOperation {
  return {
    id: tracked.operationId,
    repository: tracked.repository,
    digest: tracked.digest,
    status: tracked.status,
    progress: tracked.progress,
    startTime: tracked.startTime,
    details: tracked.details,
    errorCode: tracked.errorCode,
  };
}
