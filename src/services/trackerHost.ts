/**
 * Keeps tracked operations across window reloads: the tracker's snapshot goes to global state
 * on every change (debounced), and comes back at activation.
 */
import type { Logger } from '../core/logger';
import type { TrackerEvent, TrackerSnapshot } from '../core/tracker/trackedOperation';
import type { Disposable } from './emitter';
import type { StateStore } from './registryStore';

export const TRACKER_SNAPSHOT_KEY = 'acrStreaming.trackedOperations';

/** The part of OperationTracker persistence needs. */
export interface PersistableTracker {
  onEvent(listener: (event: TrackerEvent) => void): Disposable;
  snapshot(): TrackerSnapshot;
  restore(snapshot: unknown): void;
}

export class TrackerHost implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: Disposable;
  private saving: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly tracker: PersistableTracker,
    private readonly state: StateStore,
    private readonly logger: Logger,
    private readonly saveDelayMs = 500,
  ) {
    // A new or finished operation is saved at once (a reload right after starting a conversion
    // must not lose it); progress updates are saved debounced.
    this.subscription = tracker.onEvent((event) => (event.type === 'updated' ? this.scheduleSave() : void this.flush()));
  }

  /** Brings back what the last window tracked. Call once, after subscribing the views. */
  restore(): void {
    const saved = this.state.get<unknown>(TRACKER_SNAPSHOT_KEY);
    if (saved !== undefined) {
      this.tracker.restore(saved);
    }
  }

  /** Writes the snapshot now (and waits for it). */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const snapshot = this.tracker.snapshot();
    this.saving = this.saving
      .then(() => this.state.update(TRACKER_SNAPSHOT_KEY, snapshot))
      .then(undefined, (error: unknown) => this.logger.warn(`Could not save tracked operations: ${error instanceof Error ? error.message : String(error)}`));
    return this.saving;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.subscription.dispose();
    if (this.timer !== undefined) {
      // Don't wait: VS Code keeps global state writes made during deactivation.
      void this.flush();
    }
  }

  private scheduleSave(): void {
    if (this.disposed || this.timer !== undefined) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Don't wait: the next change schedules another write anyway.
      void this.flush();
    }, this.saveDelayMs);
  }
}
