/** A clock that only moves when a test says so. Timers run in due order; promises settle in between. */
import type { Clock } from '../../../src/core/tracker/clock';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets every pending promise chain run (a few macrotask turns, no real waiting). */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();
  /** How many timers were ever set: tells "one timer" from "a timer per operation". */
  setCount = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.setCount += 1;
    this.timers.set(id, { at: this.time + Math.max(0, ms), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer fires, relative to now. */
  nextTimerIn(): number | undefined {
    const next = this.earliest();
    return next ? next.at - this.time : undefined;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flushPromises();
      const next = this.earliest();
      if (!next || next.at > target) {
        break;
      }
      this.timers.delete(next.seq);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = target;
    await flushPromises();
  }

  /** Moves to an absolute time (epoch ms). */
  async advanceTo(time: number): Promise<void> {
    await this.advance(Math.max(0, time - this.time));
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) {
        best = timer;
      }
    }
    return best;
  }
}
