/**
 * Coalesces bursts of change events into at most one run per interval: the first change
 * runs at once, later ones within the interval collapse into one run at its end. One timer
 * at most, cleared on dispose.
 */
import { systemClock, type Clock } from '../core/tracker/clock';

export class UpdateThrottle {
  private lastRun = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Asks for a run; it happens now or when the interval since the last run has passed. */
  schedule(): void {
    if (this.disposed || this.timer !== undefined) {
      return;
    }
    const wait = this.lastRun + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  /** Whether a run is waiting for its turn. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private fire(): void {
    if (this.disposed) {
      return;
    }
    this.lastRun = this.clock.now();
    this.run();
  }
}
