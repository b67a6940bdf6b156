import * as assert from 'node:assert/strict';
import { UpdateThrottle } from '../../../src/panel/updateThrottle';
import { FakeClock } from '../support/fakeClock';

describe('UpdateThrottle', () => {
  it('runs the first change at once and folds a burst into one run per interval', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const runs: number[] = [];
    const throttle = new UpdateThrottle(() => runs.push(clock.now() - t0), 250, clock);
    throttle.schedule();
    assert.deepEqual(runs, [0]);
    for (let i = 0; i < 50; i++) {
      await clock.advance(10);
      throttle.schedule();
    }
    // 500 ms of changes every 10 ms: a run every 250 ms, the last one for the change at 500.
    await clock.advance(300);
    assert.deepEqual(runs, [0, 250, 500, 750]);
    assert.equal(clock.pendingTimers, 0, 'no timer left once quiet');
  });

  it('runs at once again after a quiet interval', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new UpdateThrottle(() => runs++, 250, clock);
    throttle.schedule();
    await clock.advance(1000);
    throttle.schedule();
    assert.equal(runs, 2);
    assert.equal(throttle.pending, false);
  });

  it('drops a waiting run and its timer on dispose', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const throttle = new UpdateThrottle(() => runs++, 250, clock);
    throttle.schedule();
    throttle.schedule();
    assert.equal(throttle.pending, true);
    throttle.dispose();
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(1000);
    throttle.schedule();
    assert.equal(runs, 1);
  });
});
