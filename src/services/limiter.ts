/**
 * Bounded concurrency for registry calls the tree starts in bulk (repository states, badges),
 * so expanding a large repository never fires hundreds of requests at once.
 */
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`Limiter needs a positive integer, got ${max}`);
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Runs `task` when a slot is free. An aborted signal drops a task that has not started. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        if (signal?.aborted) {
          reject(signal.reason ?? new Error('aborted'));
          this.next();
          return;
        }
        this.active++;
        task().then(resolve, reject).finally(() => {
          this.active--;
          this.next();
        });
      };
      if (this.active < this.max) {
        start();
      } else {
        this.queue.push(start);
      }
    });
  }

  private next(): void {
    if (this.active < this.max) {
      this.queue.shift()?.();
    }
  }
}
