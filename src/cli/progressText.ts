/** The one line of progress `create` shows while it waits. */
import type { TrackedOperation } from '../core/tracker/trackedOperation';

export function progressText(image: string, operation: TrackedOperation): string {
  const state =
    operation.status === 'NotStarted'
      ? 'queued'
      : operation.status === 'Running'
        ? `${operation.progress}%`
        : operation.status;
  const trouble = operation.lastError ? ` (polling failed: ${operation.lastError.code}; retrying)` : '';
  return `Converting ${image}: ${state}, operation ${operation.operationId}${trouble}`;
}
