/** The operation tracker: one scheduler for every conversion being watched. */
export { OperationTracker } from './operationTracker';
export type { Disposable, OperationTrackerOptions, TrackMeta } from './operationTracker';
export { DEFAULT_POLL_POLICY, resolvePollPolicy } from './pollPolicy';
export type { PollPolicy } from './pollPolicy';
export { systemClock } from './clock';
export type { Clock } from './clock';
export { hasRegistryStatus, isFinished, operationKey, toStreamingOperation, UNKNOWN_OPERATION_TEXT } from './trackedOperation';
export type { TrackedOperation, TrackerEvent, TrackerEventType, TrackerSnapshot } from './trackedOperation';
