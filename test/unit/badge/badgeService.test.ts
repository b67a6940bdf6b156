import * as assert from 'node:assert/strict';
import { BadgeService } from '../../../src/core/badge';
import { AcrStreamingError } from '../../../src/core/errors';
import type { Call } from '../support/callRecorder';
import { flushPromises } from '../support/fakeClock';
import { Deferred, digestOf, imageManifest, LINUX_ARM64, streamingDescriptor } from '../support/fixtures';
import { FakeRegistry } from '../support/fakeRegistry';
import { FakeStreaming } from '../support/fakeStreaming';

const REPO = 'samples/hello';

/** Holds matching calls until released. */
class Gate {
  private readonly deferred = new Deferred();
  held: Call[] = [];
  constructor(private readonly matches: (call: Call) => boolean = () => true) {}
  hook = (call: Call): Promise<void> | void => {
    if (this.matches(call)) {
      this.held.push(call);
      return this.deferred.promise;
    }
  };
  open(): void {
    this.deferred.resolve();
  }
}

describe('BadgeService', () => {
  let registry: FakeRegistry;
  let streaming: FakeStreaming;
  let now: number;
  let service: BadgeService;

  beforeEach(() => {
    registry = new FakeRegistry();
    streaming = new FakeStreaming();
    now = 1_000_000;
    service = new BadgeService(registry, streaming, { volatileTtlMs: 30_000, now: () => now });
  });

  afterEach(() => service.dispose());

  function addTags(count: number): string[] {
    const tags: string[] = [];
    for (let i = 0; i < count; i++) {
      registry.addImage(REPO, imageManifest(`image-${i}`), [`v${i}`]);
      tags.push(`v${i}`);
    }
    return tags;
  }

  it('loads a badge like loadBadge does', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    streaming.addReferrer(REPO, image.digest, streamingDescriptor('art'));
    const result = await service.getBadge(REPO, '1.0');
    assert.equal(result.digest, image.digest);
    assert.equal(result.badge.kind, 'streamed');
  });

  it('keeps at most 6 look-ups in flight by default', async () => {
    const tags = addTags(20);
    const gate = new Gate();
    registry.recorder.before = gate.hook;
    const all = service.getBadges(REPO, tags);
    await flushPromises();
    assert.equal(registry.recorder.active, 6);
    gate.open();
    const results = await all;
    assert.equal(registry.recorder.maxActive, 6);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.ok));
    assert.deepEqual(results.map((r) => r.ref), tags, 'results keep the order of the refs');
  });

  it('honours a smaller concurrency, counting every call of a look-up', async () => {
    service = new BadgeService(registry, streaming, { concurrency: 2 });
    const tags = addTags(8);
    const gate = new Gate();
    streaming.recorder.before = gate.hook;
    const all = service.getBadges(REPO, tags);
    await flushPromises();
    // Two look-ups, each with its referrers and last-operation calls.
    assert.equal(streaming.recorder.active, 4);
    assert.equal(registry.recorder.count('getManifest'), 2);
    gate.open();
    await all;
    assert.equal(registry.recorder.count('getManifest'), 8);
  });

  it('asks once for concurrent requests of the same image', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const [a, b, c] = await Promise.all([service.getBadge(REPO, image.digest), service.getBadge(REPO, image.digest), service.getBadge(REPO, image.digest)]);
    assert.deepEqual(a, b);
    assert.deepEqual(b, c);
    assert.equal(registry.recorder.count('getManifest'), 1);
    assert.equal(streaming.recorder.count('listReferrers'), 1);
    assert.equal(streaming.recorder.count('getLastOperation'), 1);
  });

  it('serves repeated requests from the caches until the short-lived part expires', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    await service.getBadge(REPO, image.digest);
    await service.getBadge(REPO, image.digest);
    assert.equal(registry.recorder.count(), 1);
    assert.equal(streaming.recorder.count(), 2);

    now += 30_001;
    await service.getBadge(REPO, image.digest);
    assert.equal(registry.recorder.count('getManifest'), 1, 'a manifest never changes under its digest');
    assert.equal(streaming.recorder.count(), 4, 'referrers and operations are asked again');
  });

  it('follows a tag that moved once the short-lived cache expires', async () => {
    registry.addImage(REPO, imageManifest('old'), ['latest']);
    assert.equal((await service.getBadge(REPO, 'latest')).digest, digestOf('old'));
    registry.addImage(REPO, imageManifest('new'), ['latest']);
    assert.equal((await service.getBadge(REPO, 'latest')).digest, digestOf('old'), 'still cached');
    now += 30_001;
    assert.equal((await service.getBadge(REPO, 'latest')).digest, digestOf('new'));
  });

  it('asks again after invalidate(repository, digest), for that digest only', async () => {
    const a = registry.addImage(REPO, imageManifest('a'), ['a']);
    const b = registry.addImage(REPO, imageManifest('b'), ['b']);
    await service.getBadges(REPO, [a.digest, b.digest]);
    assert.equal(service.peek(REPO, a.digest)?.badge.kind, 'not-converted');

    const op = streaming.addOperation(REPO, a.digest, { status: 'Running', progress: 5 });
    service.invalidate(REPO, a.digest);
    assert.equal(service.peek(REPO, a.digest), undefined);
    assert.ok(service.peek(REPO, b.digest));
    const fresh = await service.getBadge(REPO, a.digest);
    assert.equal(fresh.badge.kind, 'converting');
    assert.equal(fresh.badge.kind === 'converting' && fresh.badge.operation.id, op.id);
    assert.equal(registry.recorder.count('getManifest'), 2, 'manifests stay cached');
  });

  it('forgets a whole repository with invalidate(repository)', async () => {
    const a = registry.addImage(REPO, imageManifest('a'), ['a']);
    await service.getBadge(REPO, 'a');
    service.invalidate(REPO);
    assert.equal(service.peek(REPO, 'a'), undefined);
    assert.equal(service.peek(REPO, a.digest), undefined);
  });

  it('does not cache a result that was under way when its digest was invalidated', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    // The first read sees the old state, and its reply is slow to arrive.
    const original = streaming.getLastOperation.bind(streaming);
    const slowReply = new Deferred();
    let first = true;
    streaming.getLastOperation = async (repository, digest, opts) => {
      const value = await original(repository, digest, opts);
      if (first) {
        first = false;
        await slowReply.promise;
      }
      return value;
    };
    const stale = service.getBadge(REPO, image.digest);
    await flushPromises();
    streaming.addOperation(REPO, image.digest, { status: 'Running', progress: 1 });
    service.invalidate(REPO, image.digest);
    const fresh = await service.getBadge(REPO, image.digest);
    assert.equal(fresh.badge.kind, 'converting');
    slowReply.resolve();
    assert.equal((await stale).badge.kind, 'not-converted', 'the slow caller gets what was read for it');
    assert.equal(service.peek(REPO, image.digest)?.badge.kind, 'converting', 'the stale answer did not overwrite the fresh one');
  });

  it('caches an unconvertible image without asking the streaming API', async () => {
    const arm = registry.addImage(REPO, imageManifest('arm', { platform: LINUX_ARM64 }), ['arm']);
    await service.getBadge(REPO, arm.digest);
    assert.equal(service.peek(REPO, arm.digest)?.badge.kind, 'unsupported');
    now += 1_000_000;
    assert.equal(service.peek(REPO, arm.digest)?.badge.kind, 'unsupported');
    assert.equal(streaming.recorder.count(), 0);
  });

  it('does not cache failures', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    streaming.recorder.failNext('listReferrers', new AcrStreamingError('SERVER_ERROR', 'boom', { status: 500 }));
    await assert.rejects(service.getBadge(REPO, image.digest), { code: 'SERVER_ERROR' });
    assert.equal((await service.getBadge(REPO, image.digest)).badge.kind, 'not-converted');
  });

  it('reports a failure per ref in getBadges without failing the others', async () => {
    registry.addImage(REPO, imageManifest('ok'), ['ok']);
    const results = await service.getBadges(REPO, ['ok', 'missing']);
    assert.equal(results[0].ok, true);
    assert.equal(results[1].ok, false);
    assert.equal(!results[1].ok && results[1].error.code, 'MANIFEST_UNKNOWN');
  });

  it('lets one caller give up while another still gets the shared answer', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const gate = new Gate();
    registry.recorder.before = gate.hook;
    const quitter = new AbortController();
    const first = service.getBadge(REPO, image.digest, { signal: quitter.signal });
    const second = service.getBadge(REPO, image.digest, { signal: new AbortController().signal });
    await flushPromises();
    quitter.abort();
    await assert.rejects(first, { code: 'CANCELLED' });
    assert.equal(gate.held[0].signal?.aborted, false, 'the shared request goes on for the other caller');
    gate.open();
    assert.equal((await second).digest, image.digest);
    assert.equal(registry.recorder.count('getManifest'), 1);
  });

  it('aborts the request when every caller has given up', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const gate = new Gate();
    registry.recorder.before = gate.hook;
    const controller = new AbortController();
    const pending = service.getBadge(REPO, image.digest, { signal: controller.signal });
    await flushPromises();
    controller.abort();
    await assert.rejects(pending, { code: 'CANCELLED' });
    assert.equal(gate.held[0].signal?.aborted, true);
    assert.equal(service.peek(REPO, image.digest), undefined);
  });

  it('drops a queued look-up whose caller gave up before its turn', async () => {
    service = new BadgeService(registry, streaming, { concurrency: 1 });
    const [first, second] = addTags(2);
    const gate = new Gate();
    registry.recorder.before = gate.hook;
    const running = service.getBadge(REPO, first);
    const controller = new AbortController();
    const queued = service.getBadge(REPO, second, { signal: controller.signal });
    await flushPromises();
    controller.abort();
    await assert.rejects(queued, { code: 'CANCELLED' });
    gate.open();
    await running;
    await flushPromises();
    assert.deepEqual(
      registry.recorder.calls.map((c) => c.args[1]),
      [first],
      'the cancelled look-up never reached the registry',
    );
  });

  it('refuses work after dispose', async () => {
    service.dispose();
    await assert.rejects(service.getBadge(REPO, 'x'), { code: 'CANCELLED' });
  });
});
