/** One interval for every elapsed-time label; it runs only while something runs. */
export class ElapsedTicker {
  private handle: number | undefined;

  constructor(
    private readonly win: Pick<Window, 'setInterval' | 'clearInterval'>,
    private readonly onTick: () => void,
    private readonly intervalMs = 1000,
  ) {}

  get running(): boolean {
    return this.handle !== undefined;
  }

  /** Starts the interval when `active` and it is not running; stops it when not `active`. */
  update(active: boolean): void {
    if (active && this.handle === undefined) {
      this.handle = this.win.setInterval(this.onTick, this.intervalMs);
    } else if (!active && this.handle !== undefined) {
      this.win.clearInterval(this.handle);
      this.handle = undefined;
    }
  }

  dispose(): void {
    this.update(false);
  }
}
