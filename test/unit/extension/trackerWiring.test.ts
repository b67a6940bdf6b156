import * as assert from 'node:assert/strict';
import type { BadgeState } from '../../../src/core/badge/badgeState';
import { AcrStreamingError } from '../../../src/core/errors';
import type { StreamingOperation } from '../../../src/core/models';
import { OperationTracker, type TrackerEvent } from '../../../src/core/tracker';
import { StreamingDataSource } from '../../../src/services/streamingDataSource';
import { TRACKER_SNAPSHOT_KEY, TrackerHost } from '../../../src/services/trackerHost';
import { syncBadgesWithTracker } from '../../../src/tree/trackerBadgeSync';
import { DIGEST_A, FakeStreaming, MemoryState, RecordingLogger, settle } from './fakes';

/** A clock that never fires on its own: polls happen only when a test says so. */
const stillClock = { now: () => 1_000, setTimeout: () => ({}), clearTimeout: () => undefined };

function tracker(streaming = new FakeStreaming()): OperationTracker {
  return new OperationTracker({ resolveStreaming: () => streaming, clock: stillClock });
}

const started: StreamingOperation = { id: 'op-1', repository: 'app', digest: DIGEST_A, status: 'Running', progress: 30 };

describe('tracker host', () => {
  it('saves each new operation at once, and a new window restores them', async () => {
    const state = new MemoryState();
    const first = tracker();
    const host = new TrackerHost(first, state, new RecordingLogger(), 10);
    first.track('reg.example.io', started, { image: 'app:1.0', digest: DIGEST_A });
    first.track('reg.example.io', { ...started, id: 'op-2' }, { image: 'app:2.0' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await settle();
    assert.equal(state.writes, 2, 'each added operation is written at once, so a quick reload keeps it');
    host.dispose();
    first.dispose();

    const second = tracker();
    const events: TrackerEvent[] = [];
    second.onEvent((e) => events.push(e));
    new TrackerHost(second, state, new RecordingLogger(), 10).restore();
    assert.deepEqual(
      second.list().map((op) => [op.operationId, op.image, op.status, op.progress]),
      [
        ['op-1', 'app:1.0', 'Running', 30],
        ['op-2', 'app:2.0', 'Running', 30],
      ],
    );
    assert.equal(events.filter((e) => e.type === 'added').length, 2, 'views hear about restored operations');
    second.dispose();
  });

  it('flushes a pending save when disposed, and survives garbage in storage', async () => {
    const state = new MemoryState();
    const t = tracker();
    const host = new TrackerHost(t, state, new RecordingLogger(), 60_000);
    t.track('reg.example.io', started);
    host.dispose();
    await settle();
    assert.equal((state.get<{ operations: unknown[] }>(TRACKER_SNAPSHOT_KEY)?.operations ?? []).length, 1);
    t.dispose();

    state.values.set(TRACKER_SNAPSHOT_KEY, { version: 99, operations: 'nope' });
    const fresh = tracker();
    new TrackerHost(fresh, state, new RecordingLogger()).restore();
    assert.deepEqual(fresh.list(), []);
    fresh.dispose();
  });
});

describe('tracker → tree badges', () => {
  it('shows progress from events alone and asks the registry again when a conversion ends', async () => {
    const streaming = new FakeStreaming();
    const t = tracker(streaming);
    const calls: string[] = [];
    const badges: BadgeState[] = [];
    syncBadgesWithTracker(t, {
      setBadge: (_l, repository, digest, badge) => {
        calls.push(`set ${repository}@${digest} ${badge.kind}`);
        badges.push(badge);
      },
      reloadBadges: (_l, repository, digest) => calls.push(`reload ${repository}@${digest}`),
    });
    t.track('reg.example.io', started, { digest: DIGEST_A });
    streaming.getOperation = async () => ({ ...started, progress: 70 });
    await t.pollNow();
    streaming.getOperation = async () => ({ ...started, status: 'Succeeded', progress: 100 });
    await t.pollNow();
    assert.deepEqual(calls, [`set app@${DIGEST_A} converting`, `set app@${DIGEST_A} converting`, `reload app@${DIGEST_A}`]);
    assert.equal((badges[1] as { progress: number }).progress, 70);
    t.dispose();
  });
});

describe('tracker → tree badges, unknown operations', () => {
  it('asks the registry for the badge again when an operation becomes unknown', async () => {
    const streaming = new FakeStreaming();
    const t = new OperationTracker({ resolveStreaming: () => streaming, clock: stillClock, policy: { unknownAfterMs: 0 } });
    const calls: string[] = [];
    syncBadgesWithTracker(t, {
      setBadge: (_l, repository, digest, badge) => calls.push(`set ${repository}@${digest} ${badge.kind}`),
      reloadBadges: (_l, repository, digest) => calls.push(`reload ${repository}@${digest}`),
    });
    t.track('reg.example.io', started, { digest: DIGEST_A });
    streaming.getOperation = async () => {
      throw new AcrStreamingError('NOT_FOUND', 'The operation does not exist.', { status: 404 });
    };
    await t.pollNow();
    assert.equal(t.list()[0].status, 'Unknown');
    assert.deepEqual(calls, [`set app@${DIGEST_A} converting`, `reload app@${DIGEST_A}`], 'no converting badge is left behind');
    t.dispose();
  });
});

describe('streaming data source', () => {
  it('lists the tracker operations and cancels through the registry, keeping the tracked id', async () => {
    const streaming = new FakeStreaming();
    const t = tracker(streaming);
    const source = new StreamingDataSource(t, { session: async () => ({ streaming }) });
    const tracked = t.track('reg.example.io', started, { image: 'app:1.0', digest: DIGEST_A });
    let changes = 0;
    const subscription = source.onDidChangeOperations(() => changes++);
    assert.deepEqual(
      source.listOperations().map((op) => op.key),
      [tracked.key],
    );
    await source.cancelOperation(tracked.key);
    assert.deepEqual(streaming.calls, ['cancelOperation app op-1']);
    assert.equal(t.get(tracked.key)?.status, 'Canceled');
    assert.equal(t.list().length, 1, 'the cancel reply (which has no id) did not become a second operation');
    assert.ok(changes > 0);
    subscription.dispose();
    await assert.rejects(source.cancelOperation('reg.example.io|app|unknown'), /no longer tracked/);
    t.dispose();
  });

  it('lists referrers through the registry session', async () => {
    const streaming = new FakeStreaming();
    streaming.referrers.set(DIGEST_A, [{ mediaType: 'm', digest: DIGEST_A, size: 1 }]);
    const source = new StreamingDataSource(tracker(streaming), { session: async () => ({ streaming }) });
    const result = await source.listReferrers('reg.example.io', 'app', DIGEST_A, new AbortController().signal);
    assert.equal(result.length, 1);
  });
});
