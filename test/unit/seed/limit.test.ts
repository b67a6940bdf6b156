import * as assert from 'node:assert/strict';
import { forEachLimited } from '../../../emulator/seed/limit';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachLimited', () => {
  it('runs every item once with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([...Array(50).keys()], 8, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      done.push(item);
    });
    assert.equal(peak, 8);
    assert.deepEqual([...done].sort((a, b) => a - b), [...Array(50).keys()]);
  });

  it('stops starting items after a failure and rethrows it', async () => {
    const started: number[] = [];
    await assert.rejects(
      forEachLimited([...Array(100).keys()], 4, async (item) => {
        started.push(item);
        await tick();
        if (item === 5) throw new Error('boom');
      }),
      /boom/,
    );
    assert.ok(started.length < 20, `started ${started.length}`);
  });

  it('rejects a concurrency below 1', async () => {
    await assert.rejects(forEachLimited([1], 0, async () => undefined), /positive integer/);
  });
});
