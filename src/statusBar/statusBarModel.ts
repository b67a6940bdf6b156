/** What the status-bar item says about running conversions, as plain data. */
import type { TrackedOperation } from '../core/tracker/trackedOperation';

export interface StatusBarModel {
  visible: boolean;
  text: string;
  tooltip: string;
}

function isRunning(operation: TrackedOperation): boolean {
  return operation.status === 'NotStarted' || operation.status === 'Running';
}

function imageOf(operation: TrackedOperation): string {
  return operation.image ?? (operation.digest ? `${operation.repository}@${operation.digest}` : `${operation.repository} (${operation.operationId})`);
}

/** "$(sync~spin) 2 converting, 40%" with the average progress; hidden when nothing runs. */
export function statusBarModel(operations: readonly TrackedOperation[]): StatusBarModel {
  const running = operations.filter(isRunning);
  if (running.length === 0) {
    return { visible: false, text: '', tooltip: '' };
  }
  const average = Math.round(running.reduce((sum, op) => sum + op.progress, 0) / running.length);
  const lines = running.map((op) => {
    const state = op.status === 'NotStarted' ? 'queued' : `${Math.round(op.progress)}%`;
    return `${imageOf(op)} on ${op.loginServer}: ${state}`;
  });
  return {
    visible: true,
    text: `$(sync~spin) ${running.length} converting, ${average}%`,
    tooltip: `Streaming conversions running:\n${lines.join('\n')}\n\nClick to open the Artifact Streaming panel.`,
  };
}
