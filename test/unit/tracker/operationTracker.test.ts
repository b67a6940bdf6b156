import * as assert from 'node:assert/strict';
import { AcrStreamingError } from '../../../src/core/errors';
import type { StreamingApi } from '../../../src/core/api';
import type { StreamingOperation } from '../../../src/core/models';
import { OperationTracker } from '../../../src/core/tracker';
import type { PollPolicy, TrackerEvent } from '../../../src/core/tracker';
import { FakeClock, flushPromises } from '../support/fakeClock';
import { Deferred, digestOf } from '../support/fixtures';
import { FakeStreaming } from '../support/fakeStreaming';

const SERVER = 'fake.azurecr.io';
const REPO = 'samples/hello';

describe('OperationTracker', () => {
  let clock: FakeClock;
  let streaming: FakeStreaming;
  let tracker: OperationTracker;
  let events: TrackerEvent[];
  let pollTimes: number[];

  function makeTracker(policy: Partial<PollPolicy> = {}, resolve?: (server: string) => StreamingApi | Promise<StreamingApi>): OperationTracker {
    const made = new OperationTracker({ resolveStreaming: resolve ?? (() => streaming), clock, policy });
    made.onEvent((event) => events.push(event));
    return made;
  }

  /** Starts a conversion on the fake server and tracks it. */
  function startOne(label = 'hello', overrides: Partial<StreamingOperation> = {}, on: OperationTracker = tracker): StreamingOperation {
    const op = streaming.addOperation(REPO, digestOf(label), { status: 'NotStarted', progress: 0, ...overrides });
    on.track(SERVER, op, { image: `${REPO}:${label}` });
    return op;
  }

  beforeEach(() => {
    clock = new FakeClock();
    streaming = new FakeStreaming(SERVER);
    events = [];
    pollTimes = [];
    streaming.recorder.before = (call) => {
      if (call.method === 'getOperation') {
        pollTimes.push(clock.now());
      }
    };
    tracker = makeTracker();
  });

  afterEach(() => tracker.dispose());

  describe('tracking', () => {
    it('keys an operation by login server, repository and id, and emits added', () => {
      const op = startOne();
      const tracked = tracker.get(`${SERVER}|${REPO}|${op.id}`);
      assert.ok(tracked);
      assert.equal(tracked.operationId, op.id);
      assert.equal(tracked.image, `${REPO}:hello`);
      assert.equal(tracked.digest, digestOf('hello'));
      assert.equal(tracked.trackedAt, clock.now());
      assert.deepEqual(events.map((e) => e.type), ['added']);
    });

    it('keeps one entry when the same operation is tracked twice', () => {
      const op = startOne();
      tracker.track(SERVER, op);
      tracker.track(SERVER, { ...op });
      assert.equal(tracker.list().length, 1);
      assert.deepEqual(events.map((e) => e.type), ['added'], 'nothing changed: no event');
    });

    it('takes news from a repeated track, but never reopens a finished operation', () => {
      const op = startOne();
      tracker.track(SERVER, { ...op, status: 'Running', progress: 30 });
      assert.equal(tracker.list()[0].progress, 30);
      tracker.track(SERVER, { ...op, status: 'Canceled' });
      tracker.track(SERVER, { ...op, status: 'Running', progress: 50 });
      assert.equal(tracker.list()[0].status, 'Canceled');
      assert.deepEqual(events.map((e) => e.type), ['added', 'updated', 'finished']);
    });

    it('lists running operations apart', () => {
      startOne('a');
      startOne('b', { status: 'Succeeded', progress: 100 });
      assert.equal(tracker.list().length, 2);
      assert.deepEqual(tracker.running().map((o) => o.digest), [digestOf('a')]);
    });

    it('hands out copies', () => {
      const op = startOne();
      const copy = tracker.list()[0];
      copy.status = 'Failed';
      assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.status, 'NotStarted');
    });

    it('refuses an operation without an id', () => {
      assert.throws(() => tracker.track(SERVER, { id: '', repository: REPO, status: 'Running', progress: 0 }), { code: 'INVALID_INPUT' });
      assert.throws(() => tracker.track('', { id: 'x', repository: REPO, status: 'Running', progress: 0 }), { code: 'INVALID_INPUT' });
    });

    it('untrack removes, emits removed, and stops polling it', async () => {
      const op = startOne();
      tracker.untrack(`${SERVER}|${REPO}|${op.id}`);
      assert.equal(tracker.list().length, 0);
      assert.equal(events.at(-1)?.type, 'removed');
      await clock.advance(60_000);
      assert.equal(streaming.recorder.count('getOperation'), 0);
      assert.equal(clock.pendingTimers, 0);
    });
  });

  describe('adaptive polling', () => {
    it('polls first after 1 s, then backs off by 1.5x up to 15 s while nothing changes', async () => {
      const start = clock.now();
      startOne('hello', { status: 'Running', progress: 10 });
      await clock.advance(80_000);
      const offsets = pollTimes.map((t) => t - start);
      assert.deepEqual(offsets.slice(0, 9), [1000, 2500, 4750, 8125, 13188, 20782, 32173, 47173, 62173]);
      const gaps = offsets.slice(1).map((t, i) => t - offsets[i]);
      assert.ok(gaps.every((gap) => gap <= 15_000), `gaps ${gaps.join(',')}`);
    });

    it('returns to the fast rate when progress moves', async () => {
      const op = startOne('hello', { status: 'Running', progress: 10 });
      const start = clock.now();
      await clock.advance(14_000); // polls at +1000, +2500, +4750, +8125, +13188
      assert.equal(pollTimes.length, 5);
      streaming.setOperation(REPO, op.id, { progress: 20 });
      await clock.advance(7_600); // next poll at +20782 sees the change
      assert.equal(pollTimes.length, 6);
      await clock.advance(1_000);
      assert.equal(pollTimes.length, 7);
      assert.equal(pollTimes[6] - pollTimes[5], 1000);
      assert.equal(pollTimes[5] - start, 20782);
    });

    it('emits updated only when something changed', async () => {
      const op = startOne('hello', { status: 'Running', progress: 10 });
      events.length = 0;
      await clock.advance(5_000); // three polls, no change
      assert.equal(pollTimes.length, 3);
      assert.equal(events.length, 0);
      streaming.setOperation(REPO, op.id, { progress: 60 });
      await clock.advance(5_000);
      assert.deepEqual(events.map((e) => [e.type, e.operation.progress]), [['updated', 60]]);
      assert.equal(events[0].operation.updatedAt, pollTimes[3]);
    });

    it('uses one timer however many operations are tracked', async () => {
      for (let i = 0; i < 50; i++) {
        startOne(`image-${i}`, { status: 'Running', progress: 1 });
        assert.ok(clock.pendingTimers <= 1);
      }
      const setBefore = clock.setCount;
      assert.ok(setBefore < 50, `timers set while tracking: ${setBefore}`);
      for (let step = 0; step < 40; step++) {
        await clock.advance(500);
        assert.ok(clock.pendingTimers <= 1, `pending timers: ${clock.pendingTimers}`);
      }
      assert.ok(streaming.recorder.count('getOperation') >= 50, 'every operation was polled');
    });

    it('keeps at most maxConcurrentPolls polls in flight', async () => {
      const gate = new Deferred();
      streaming.recorder.before = () => gate.promise;
      for (let i = 0; i < 10; i++) {
        startOne(`image-${i}`, { status: 'Running', progress: 1 });
      }
      await clock.advance(1_000);
      assert.equal(streaming.recorder.active, 4);
      await clock.advance(30_000);
      assert.equal(streaming.recorder.active, 4, 'no poll starts while four are in flight');
      assert.equal(streaming.recorder.count('getOperation'), 4);
      gate.resolve();
      await clock.advance(0);
      await clock.advance(0);
      assert.equal(streaming.recorder.maxActive, 4);
      assert.equal(new Set(streaming.recorder.calls.map((c) => c.args[1])).size, 10, 'the waiting ones got their turn');
    });

    it('honours a Retry-After sent with a reply', async () => {
      startOne('hello', { status: 'Running', progress: 1 });
      streaming.retryAfterMs = 12_000;
      await clock.advance(1_000);
      assert.equal(pollTimes.length, 1);
      await clock.advance(11_999);
      assert.equal(pollTimes.length, 1, 'not before the server said');
      await clock.advance(1);
      assert.equal(pollTimes.length, 2);
    });

    it('honours the Retry-After of a TOO_MANY_REQUESTS error and keeps the operation', async () => {
      const op = startOne('hello', { status: 'Running', progress: 1 });
      streaming.recorder.failNext('getOperation', new AcrStreamingError('TOO_MANY_REQUESTS', 'Too many requests.', { status: 429, retryAfterMs: 20_000 }));
      await clock.advance(1_000);
      const tracked = tracker.get(`${SERVER}|${REPO}|${op.id}`);
      assert.deepEqual(tracked?.lastError, { code: 'TOO_MANY_REQUESTS', message: 'Too many requests.', retryAfterMs: 20_000 });
      assert.equal(clock.nextTimerIn(), 20_000);
      await clock.advance(20_000);
      assert.equal(pollTimes.length, 2);
      assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.lastError, undefined, 'cleared by a successful poll');
    });
  });

  describe('finishing', () => {
    it('emits finished once and stops polling', async () => {
      const op = startOne('hello', { status: 'Running', progress: 50 });
      await clock.advance(1_000);
      streaming.completeConversion(REPO, op.id);
      await clock.advance(1_500);
      const finished = events.filter((e) => e.type === 'finished');
      assert.equal(finished.length, 1);
      assert.equal(finished[0].operation.status, 'Succeeded');
      assert.equal(finished[0].operation.progress, 100);
      const polls = pollTimes.length;
      await clock.advance(600_000);
      assert.equal(pollTimes.length, polls);
      assert.equal(clock.pendingTimers, 0);
      assert.equal(events.filter((e) => e.type === 'finished').length, 1);
      assert.deepEqual(tracker.running(), []);
    });

    it('never polls an operation that was finished when tracked', async () => {
      startOne('hello', { status: 'Canceled' });
      await clock.advance(60_000);
      assert.equal(pollTimes.length, 0);
    });

    it('reports a failure with its code', async () => {
      const op = startOne('hello', { status: 'Running' });
      streaming.setOperation(REPO, op.id, { status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM' });
      await clock.advance(1_000);
      const finished = events.find((e) => e.type === 'finished');
      assert.equal(finished?.operation.errorCode, 'UNSUPPORTED_PLATFORM');
    });

    it('forgets finished operations after forgetFinishedAfterMs when asked to', async () => {
      tracker.dispose();
      tracker = makeTracker({ forgetFinishedAfterMs: 60_000 });
      const op = startOne('hello', { status: 'Running' });
      streaming.setOperation(REPO, op.id, { status: 'Succeeded', progress: 100 });
      await clock.advance(1_000);
      assert.equal(events.at(-1)?.type, 'finished');
      await clock.advance(59_999);
      assert.equal(tracker.list().length, 1);
      await clock.advance(1);
      assert.equal(tracker.list().length, 0);
      assert.equal(events.at(-1)?.type, 'removed');
    });
  });

  describe('poll failures', () => {
    it('keeps an operation through transient errors, sets lastError once, and backs off', async () => {
      const op = startOne('hello', { status: 'Running', progress: 5 });
      const key = `${SERVER}|${REPO}|${op.id}`;
      streaming.recorder.failNext('getOperation', new AcrStreamingError('NETWORK', 'Could not reach the registry: ECONNRESET'), 3);
      events.length = 0;
      await clock.advance(1_000 + 1_500 + 2_250);
      assert.equal(pollTimes.length, 3);
      assert.equal(tracker.get(key)?.lastError?.code, 'NETWORK');
      assert.equal(tracker.get(key)?.status, 'Running');
      assert.deepEqual(events.map((e) => e.type), ['updated'], 'the same error again is no news');
      streaming.setOperation(REPO, op.id, { progress: 30 });
      await clock.advance(3_375);
      assert.equal(pollTimes.length, 4);
      assert.equal(tracker.get(key)?.lastError, undefined);
      assert.equal(tracker.get(key)?.progress, 30);
    });

    it('keeps polling when resolving the registry fails (signed out), without dropping the operation', async () => {
      tracker.dispose();
      let signedIn = false;
      tracker = makeTracker({}, () => {
        if (!signedIn) {
          throw new AcrStreamingError('UNAUTHORIZED', 'Sign in to fake.azurecr.io.');
        }
        return streaming;
      });
      const op = startOne();
      await clock.advance(1_000);
      assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.lastError?.code, 'UNAUTHORIZED');
      signedIn = true;
      await clock.advance(1_500);
      assert.equal(pollTimes.length, 1);
      assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.lastError, undefined);
    });

    for (const code of ['NOT_FOUND', 'OPERATION_UNKNOWN']) {
      it(`keeps an operation the server calls unknown (${code}) and polls it at the slowest rate`, async () => {
        const op = startOne('hello', { status: 'Running' });
        streaming.recorder.failNext('getOperation', new AcrStreamingError(code as 'NOT_FOUND', 'The specified operation does not exist', { status: 404 }), 2);
        await clock.advance(1_000);
        assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.lastError?.code, code);
        assert.equal(clock.nextTimerIn(), 15_000);
        await clock.advance(15_000);
        assert.equal(pollTimes.length, 2);
        assert.equal(clock.nextTimerIn(), 15_000);
        await clock.advance(15_000);
        assert.equal(tracker.list().length, 1);
        assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.lastError, undefined, 'back once the server knows it again');
      });
    }

    it('treats a malformed reply as a failed poll', async () => {
      const op = startOne('hello', { status: 'Running' });
      const api = { getOperation: async () => ({ status: 'Exploded', progress: 'lots' }) } as unknown as StreamingApi;
      tracker.dispose();
      tracker = makeTracker({}, () => api);
      tracker.track(SERVER, op);
      await clock.advance(1_000);
      assert.equal(tracker.list()[0].lastError?.code, 'INVALID_RESPONSE');
      assert.equal(tracker.list()[0].status, 'Running', 'the last good state is kept');
    });

    it('survives a listener that throws', async () => {
      tracker.onEvent(() => {
        throw new Error('listener bug');
      });
      const op = startOne('hello', { status: 'Running' });
      streaming.setOperation(REPO, op.id, { progress: 40 });
      await clock.advance(1_000);
      assert.equal(tracker.list()[0].progress, 40);
      assert.equal(events.at(-1)?.operation.progress, 40);
    });
  });

  describe('operations the registry no longer knows', () => {
    const notFound = () => new AcrStreamingError('NOT_FOUND', 'The specified operation does not exist', { status: 404 });
    const keyOf = (op: StreamingOperation) => `${SERVER}|${REPO}|${op.id}`;

    it('calls an operation Unknown once it has been not found for the grace, stops polling it and leaves the running count', async () => {
      const op = startOne('hello', { status: 'Running', progress: 40 });
      streaming.recorder.failNext('getOperation', notFound(), 100);
      await clock.advance(1_000); // first "not found": the grace starts
      await clock.advance(15_000);
      assert.equal(tracker.get(keyOf(op))?.status, 'Running', 'still within the grace');
      assert.equal(tracker.running().length, 1);
      await clock.advance(15_000); // 30 s after the first "not found"
      const unknown = tracker.get(keyOf(op));
      assert.equal(unknown?.status, 'Unknown');
      assert.equal(unknown?.lastError?.code, 'NOT_FOUND');
      assert.equal(unknown?.progress, 40, 'the last known progress is kept');
      assert.equal(tracker.running().length, 0);
      assert.equal(tracker.list().length, 1, 'kept: the user still has a handle on it');
      assert.equal(events.at(-1)?.type, 'updated', 'not reported as finished');
      assert.equal(clock.nextTimerIn(), undefined, 'no poll is due');
      const polls = pollTimes.length;
      await clock.advance(600_000);
      assert.equal(pollTimes.length, polls);
    });

    it('uses the grace of the policy', async () => {
      tracker.dispose();
      tracker = makeTracker({ unknownAfterMs: 0 });
      const op = startOne('hello', { status: 'Running' });
      streaming.recorder.failNext('getOperation', notFound(), 1);
      await clock.advance(1_000);
      assert.equal(tracker.get(keyOf(op))?.status, 'Unknown');
    });

    it('never calls an operation unknown for faults, however long they last', async () => {
      const op = startOne('hello', { status: 'Running' });
      streaming.recorder.failNext('getOperation', new AcrStreamingError('SERVER_ERROR', 'busy', { status: 503 }), 20);
      streaming.recorder.failNext('getOperation', new AcrStreamingError('NETWORK', 'reset'), 20);
      await clock.advance(3_600_000);
      assert.ok(pollTimes.length >= 40);
      assert.equal(tracker.get(keyOf(op))?.status, 'Running');
      assert.equal(tracker.running().length, 1);
      assert.notEqual(clock.nextTimerIn(), undefined, 'still polled');
    });

    it('starts the grace again after a successful poll', async () => {
      const op = startOne('hello', { status: 'Running' });
      streaming.recorder.failNext('getOperation', notFound(), 2); // at 1 s and 16 s
      await clock.advance(31_000); // a good poll at 31 s
      streaming.recorder.failNext('getOperation', notFound(), 2);
      await clock.advance(31_000);
      assert.equal(tracker.get(keyOf(op))?.status, 'Running', 'two short spells of "not found" are not one long one');
    });

    it('looks again on pollNow: still not found stays unknown, an answer revives it', async () => {
      tracker.dispose();
      tracker = makeTracker({ unknownAfterMs: 0 });
      const op = startOne('hello', { status: 'Running', progress: 10 });
      streaming.recorder.failNext('getOperation', notFound(), 2);
      await clock.advance(1_000);
      assert.equal(tracker.get(keyOf(op))?.status, 'Unknown');
      await tracker.pollNow(keyOf(op));
      assert.equal(tracker.get(keyOf(op))?.status, 'Unknown');
      assert.equal(clock.nextTimerIn(), undefined);
      streaming.setOperation(REPO, op.id, { status: 'Running', progress: 60 });
      await tracker.pollNow();
      assert.equal(tracker.get(keyOf(op))?.status, 'Running');
      assert.equal(tracker.get(keyOf(op))?.lastError, undefined);
      assert.equal(tracker.running().length, 1);
      assert.equal(clock.nextTimerIn(), 1_000, 'polled again');
    });

    it('round-trips an unknown operation through a snapshot, without polling it', async () => {
      tracker.dispose();
      tracker = makeTracker({ unknownAfterMs: 0 });
      const op = startOne('hello', { status: 'Running' });
      streaming.recorder.failNext('getOperation', notFound(), 1);
      await clock.advance(1_000);
      const saved = JSON.parse(JSON.stringify(tracker.snapshot())) as unknown;
      const before = tracker.list();
      tracker.dispose();
      events = [];
      pollTimes = [];
      tracker = makeTracker();
      tracker.restore(saved);
      assert.deepEqual(tracker.list(), before);
      assert.equal(tracker.get(keyOf(op))?.status, 'Unknown');
      await clock.advance(60_000);
      assert.equal(pollTimes.length, 0);
      assert.equal(tracker.running().length, 0);
    });
  });

  describe('routing', () => {
    it('polls each operation through the API of its own registry', async () => {
      const other = new FakeStreaming('other.azurecr.io');
      tracker.dispose();
      tracker = makeTracker({}, (server) => (server === SERVER ? streaming : other));
      const a = startOne('a', { status: 'Running' });
      const b = other.addOperation(REPO, digestOf('b'), { status: 'Running' });
      tracker.track('other.azurecr.io', b);
      await clock.advance(1_000);
      assert.deepEqual(streaming.recorder.calls.map((c) => c.args[1]), [a.id]);
      assert.deepEqual(other.recorder.calls.map((c) => c.args[1]), [b.id]);
      assert.equal(tracker.list().length, 2);
    });
  });

  describe('pollNow', () => {
    it('polls one operation at once and resolves when the poll is over', async () => {
      const op = startOne('hello', { status: 'Running' });
      streaming.setOperation(REPO, op.id, { progress: 70 });
      await tracker.pollNow(`${SERVER}|${REPO}|${op.id}`);
      assert.equal(pollTimes.length, 1);
      assert.equal(pollTimes[0], clock.now());
      assert.equal(tracker.list()[0].progress, 70);
    });

    it('polls every unfinished operation, within the concurrency bound', async () => {
      for (let i = 0; i < 6; i++) {
        startOne(`image-${i}`, { status: 'Running' });
      }
      startOne('done', { status: 'Succeeded' });
      const done = tracker.pollNow();
      await flushPromises();
      await done;
      assert.equal(streaming.recorder.count('getOperation'), 6);
      assert.equal(streaming.recorder.maxActive, 4);
    });
  });

  describe('snapshot and restore', () => {
    it('round-trips through JSON and resumes polling of unfinished operations', async () => {
      const running = startOne('running', { status: 'Running', progress: 20 });
      const done = startOne('done', { status: 'Running', progress: 90 });
      streaming.setOperation(REPO, done.id, { status: 'Succeeded', progress: 100 });
      await clock.advance(1_000);
      const saved = JSON.parse(JSON.stringify(tracker.snapshot())) as unknown;
      const before = tracker.list();
      tracker.dispose();

      clock = new FakeClock(clock.now() + 3_600_000);
      events = [];
      pollTimes = [];
      const revived = makeTracker();
      tracker = revived;
      revived.restore(saved);
      assert.deepEqual(revived.list(), before);
      assert.deepEqual(events.map((e) => e.type), ['added', 'added']);

      streaming.setOperation(REPO, running.id, { progress: 80 });
      await clock.advance(0);
      assert.equal(pollTimes.length, 1, 'only the unfinished one is polled, at once');
      assert.equal(revived.get(`${SERVER}|${REPO}|${running.id}`)?.progress, 80);
      streaming.completeConversion(REPO, running.id);
      await clock.advance(1_000);
      assert.equal(events.filter((e) => e.type === 'finished').length, 1);
    });

    it('skips malformed entries and keeps the good ones', () => {
      const good = {
        loginServer: SERVER,
        repository: REPO,
        operationId: 'op-1',
        status: 'Running',
        progress: 10,
        trackedAt: 1,
        updatedAt: 2,
        key: 'forged|key',
      };
      tracker.restore({
        version: 1,
        operations: [good, { ...good, operationId: 'op-2', status: 'Exploded' }, { ...good, operationId: 'op-3', progress: 'x' }, null, 'junk', { ...good, operationId: 'op-4', loginServer: '' }],
      });
      assert.deepEqual(tracker.list().map((o) => o.operationId), ['op-1']);
      assert.equal(tracker.list()[0].key, `${SERVER}|${REPO}|op-1`, 'the key is derived, not read');
    });

    it('ignores snapshots of another version or shape without throwing', () => {
      for (const bad of [undefined, null, 42, 'x', {}, { version: 2, operations: [] }, { version: 1, operations: 'nope' }]) {
        tracker.restore(bad);
      }
      assert.equal(tracker.list().length, 0);
    });

    it('keeps the live state of an operation that is already tracked', () => {
      const op = startOne('hello', { status: 'Running', progress: 50 });
      const stale = tracker.snapshot();
      stale.operations[0].progress = 5;
      tracker.restore(stale);
      assert.equal(tracker.list().length, 1);
      assert.equal(tracker.get(`${SERVER}|${REPO}|${op.id}`)?.progress, 50);
    });
  });

  describe('dispose', () => {
    it('stops the timer, starts no poll and emits nothing afterwards', async () => {
      const op = startOne('hello', { status: 'Running' });
      const gate = new Deferred();
      streaming.recorder.before = () => gate.promise;
      await clock.advance(1_000);
      assert.equal(streaming.recorder.active, 1);
      startOne('other', { status: 'Running' });
      events.length = 0;
      tracker.dispose();
      assert.equal(clock.pendingTimers, 0);
      streaming.setOperation(REPO, op.id, { progress: 99 });
      gate.resolve();
      await clock.advance(600_000);
      assert.equal(streaming.recorder.count('getOperation'), 1);
      assert.equal(events.length, 0);
      assert.equal(clock.pendingTimers, 0);
      assert.equal(tracker.list().length, 2, 'state stays readable for a last snapshot');
      assert.throws(() => startOne('late'), { code: 'CANCELLED' });
      await tracker.pollNow();
    });
  });

  describe('policy', () => {
    it('rejects a policy that cannot work', () => {
      assert.throws(() => makeTracker({ factor: 0.5 }), { code: 'INVALID_INPUT' });
      assert.throws(() => makeTracker({ maxConcurrentPolls: 0 }), { code: 'INVALID_INPUT' });
      assert.throws(() => makeTracker({ initialDelayMs: 20_000, maxDelayMs: 10_000 }), { code: 'INVALID_INPUT' });
    });
  });
});
