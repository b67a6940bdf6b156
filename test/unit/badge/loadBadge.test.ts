import * as assert from 'node:assert/strict';
import { loadBadge } from '../../../src/core/badge';
import { AcrStreamingError } from '../../../src/core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { Deferred, digestOf, imageManifest, indexManifest, LINUX_AMD64, LINUX_ARM64, signatureDescriptor, streamingDescriptor } from '../support/fixtures';
import { FakeRegistry } from '../support/fakeRegistry';
import { FakeStreaming } from '../support/fakeStreaming';

const REPO = 'samples/hello';

describe('loadBadge', () => {
  let registry: FakeRegistry;
  let streaming: FakeStreaming;

  beforeEach(() => {
    registry = new FakeRegistry();
    streaming = new FakeStreaming();
  });

  it('resolves a tag and reports not-converted for a fresh image', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const result = await loadBadge(registry, streaming, REPO, '1.0');
    assert.equal(result.digest, image.digest);
    assert.deepEqual(result.badge, { kind: 'not-converted' });
    assert.deepEqual(registry.recorder.methods(), ['getManifest']);
    assert.deepEqual(streaming.recorder.methods().sort(), ['getLastOperation', 'listReferrers']);
    const referrers = streaming.recorder.calls.find((c) => c.method === 'listReferrers');
    assert.deepEqual(referrers?.args, [REPO, image.digest, STREAMING_ARTIFACT_TYPE]);
  });

  it('asks for referrers and the last operation in parallel', async () => {
    registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const gate = new Deferred();
    streaming.recorder.before = () => gate.promise;
    const pending = loadBadge(registry, streaming, REPO, '1.0');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(streaming.recorder.active, 2, 'both streaming calls are in flight before either returns');
    gate.resolve();
    await pending;
  });

  it('costs one call for an image that cannot be converted', async () => {
    registry.addImage(REPO, imageManifest('arm', { platform: LINUX_ARM64 }), ['arm']);
    const result = await loadBadge(registry, streaming, REPO, 'arm');
    assert.equal(result.badge.kind, 'unsupported');
    assert.equal(streaming.recorder.count(), 0);
  });

  it('reports streamed and converting from the streaming API', async () => {
    const image = registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    streaming.addReferrer(REPO, image.digest, signatureDescriptor('sig'));
    streaming.addReferrer(REPO, image.digest, streamingDescriptor('art'));
    const streamed = await loadBadge(registry, streaming, REPO, image.digest);
    assert.equal(streamed.badge.kind, 'streamed');
    assert.deepEqual(streamed.badge.kind === 'streamed' && streamed.badge.artifacts.map((a) => a.digest), [digestOf('art')]);

    streaming.addOperation(REPO, image.digest, { status: 'Running', progress: 55 });
    const converting = await loadBadge(registry, streaming, REPO, '1.0');
    assert.equal(converting.badge.kind, 'converting');
    assert.equal(converting.badge.kind === 'converting' && converting.badge.progress, 55);
  });

  it('accepts a streaming referrer of the linux/amd64 entry of an index', async () => {
    const index = registry.addImage(
      REPO,
      indexManifest('multi', [
        { label: 'child-arm', platform: LINUX_ARM64 },
        { label: 'child-amd', platform: LINUX_AMD64 },
      ]),
      ['multi'],
    );
    streaming.addReferrer(REPO, digestOf('child-amd'), streamingDescriptor('child-art'));
    const result = await loadBadge(registry, streaming, REPO, 'multi');
    assert.equal(result.digest, index.digest);
    assert.equal(result.badge.kind, 'streamed');
    const asked = streaming.recorder.calls.filter((c) => c.method === 'listReferrers').map((c) => c.args[1]);
    assert.deepEqual(asked.sort(), [index.digest, digestOf('child-amd')].sort());
    // The arm64 entry is not what ACR converts: not asked.
    assert.ok(!asked.includes(digestOf('child-arm')));
  });

  it('treats a missing index entry as having no referrers', async () => {
    registry.addImage(REPO, indexManifest('multi', [{ label: 'gone', platform: LINUX_AMD64 }]), ['multi']);
    const original = streaming.listReferrers.bind(streaming);
    streaming.listReferrers = async (repository, digest, options) => {
      if (digest === digestOf('gone')) {
        throw new AcrStreamingError('MANIFEST_UNKNOWN', 'manifest unknown', { status: 404 });
      }
      return original(repository, digest, options);
    };
    const result = await loadBadge(registry, streaming, REPO, 'multi');
    assert.equal(result.badge.kind, 'not-converted');
  });

  it('lets other streaming errors through, typed', async () => {
    registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    streaming.recorder.failNext('getLastOperation', new AcrStreamingError('UNAUTHORIZED', 'authentication required', { status: 401 }));
    await assert.rejects(loadBadge(registry, streaming, REPO, '1.0'), { code: 'UNAUTHORIZED' });
  });

  it('refuses a reply for another digest than the one asked for', async () => {
    const asked = digestOf('asked');
    registry.getManifest = async () => imageManifest('other');
    await assert.rejects(loadBadge(registry, streaming, REPO, asked), { code: 'INVALID_RESPONSE' });
  });

  it('sends nothing when already cancelled, and passes the signal on', async () => {
    registry.addImage(REPO, imageManifest('hello'), ['1.0']);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(loadBadge(registry, streaming, REPO, '1.0', { signal: aborted.signal }), { code: 'CANCELLED' });
    assert.equal(registry.recorder.count(), 0);

    const controller = new AbortController();
    await loadBadge(registry, streaming, REPO, '1.0', { signal: controller.signal });
    assert.ok([...registry.recorder.calls, ...streaming.recorder.calls].every((c) => c.signal === controller.signal));
  });
});
