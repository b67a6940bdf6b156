/**
 * Collects nodes whose look changed and reports them together after a short quiet interval,
 * so a burst of badge updates costs VS Code one refresh of just those nodes. A root refresh
 * replaces whatever was pending.
 */
import type { Disposable } from '../services/emitter';

export class ChangeCoalescer<T> implements Disposable {
  private pending = new Set<T>();
  private root = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fire: (nodes: T[] | undefined) => void,
    private readonly delayMs = 250,
  ) {}

  /** Schedules `node` (and only it) for a refresh. */
  add(node: T): void {
    if (!this.root) {
      this.pending.add(node);
    }
    this.schedule();
  }

  /** Schedules a refresh of the whole tree. */
  addRoot(): void {
    this.root = true;
    this.pending.clear();
    this.schedule();
  }

  /** Reports pending changes now. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.root) {
      this.root = false;
      this.fire(undefined);
      return;
    }
    if (this.pending.size > 0) {
      const nodes = [...this.pending];
      this.pending.clear();
      this.fire(nodes);
    }
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.clear();
    this.root = false;
  }

  private schedule(): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.delayMs);
    }
  }
}
