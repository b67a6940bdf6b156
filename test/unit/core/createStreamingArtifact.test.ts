import * as assert from 'node:assert/strict';
import { createStreamingArtifact } from '../../../src/core/createStreamingArtifact';
import type { CreateOptions } from '../../../src/core/createStreamingArtifact';
import { AcrStreamingError, CONVERSION_FAILURE_HINTS, InvalidInputError } from '../../../src/core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { digestOf, imageManifest, indexManifest, LINUX_AMD64, LINUX_ARM64, streamingDescriptor } from '../support/fixtures';
import { FakeRegistry } from '../support/fakeRegistry';
import { FakeStreaming } from '../support/fakeStreaming';

const REPO = 'samples/hello';
const network = (): AcrStreamingError => new AcrStreamingError('NETWORK', 'Could not reach the registry: socket hang up');

describe('createStreamingArtifact', () => {
  let registry: FakeRegistry;
  let streaming: FakeStreaming;
  let sleeps: number[];
  let options: CreateOptions;

  beforeEach(() => {
    registry = new FakeRegistry();
    streaming = new FakeStreaming();
    sleeps = [];
    options = {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    };
    registry.addImage(REPO, imageManifest('hello'), ['1.0']);
  });

  it('resolves the tag, checks, and starts one conversion', async () => {
    const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
    assert.equal(outcome.kind, 'started');
    assert.equal(outcome.digest, digestOf('hello'));
    assert.equal(outcome.kind === 'started' && outcome.operation.status, 'NotStarted');
    assert.deepEqual(registry.recorder.methods(), ['resolveDigest', 'getManifest']);
    assert.deepEqual(streaming.recorder.methods(), ['listReferrers', 'getLastOperation', 'startConversion']);
    assert.deepEqual(streaming.recorder.calls[0].args, [REPO, digestOf('hello'), STREAMING_ARTIFACT_TYPE]);
    assert.equal(streaming.startedCount, 1);
  });

  it('takes a digest without resolving a tag', async () => {
    const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, digest: digestOf('hello') }, options);
    assert.equal(outcome.kind, 'started');
    assert.equal(registry.recorder.count('resolveDigest'), 0);
  });

  it('checks that a digest given with a tag is where the tag points', async () => {
    const ok = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0', digest: digestOf('hello') }, options);
    assert.equal(ok.kind, 'started');
    await assert.rejects(
      createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0', digest: digestOf('other') }, options),
      (error: unknown) => error instanceof InvalidInputError && error.part === 'digest' && /points to/.test(error.message),
    );
    assert.equal(streaming.startedCount, 1);
  });

  it('refuses bad input before calling anything', async () => {
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO }, options), { code: 'INVALID_INPUT' });
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: 'Bad Name', tag: '1' }, options), { code: 'INVALID_INPUT' });
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO, digest: 'sha256:abc' }, options), { code: 'INVALID_INPUT' });
    await assert.rejects(
      createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0', registry: 'elsewhere.azurecr.io' }, options),
      { code: 'INVALID_INPUT' },
    );
    assert.equal(registry.recorder.count() + streaming.recorder.count(), 0);
  });

  it('refuses an unsupported image before any POST, with ACR\'s code and hint', async () => {
    registry.addImage(REPO, imageManifest('arm', { platform: LINUX_ARM64 }), ['arm']);
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO, tag: 'arm' }, options), (error: unknown) => {
      assert.ok(error instanceof AcrStreamingError);
      assert.equal(error.code, 'UNSUPPORTED_PLATFORM');
      assert.equal(error.hint, CONVERSION_FAILURE_HINTS.UNSUPPORTED_PLATFORM);
      return true;
    });
    registry.addImage(REPO, indexManifest('idx', [{ label: 'arm-child', platform: LINUX_ARM64 }]), ['idx']);
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO, tag: 'idx' }, options), {
      code: 'NO_SUPPORTED_PLATFORM_FOUND',
    });
    assert.equal(streaming.recorder.count(), 0, 'nothing was sent to the streaming API');
  });

  it('skips when a streaming artifact exists', async () => {
    streaming.addReferrer(REPO, digestOf('hello'), streamingDescriptor('art'));
    const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
    assert.equal(outcome.kind, 'exists');
    assert.deepEqual(outcome.kind === 'exists' && outcome.artifacts.map((a) => a.digest), [digestOf('art')]);
    assert.equal(streaming.recorder.count('startConversion'), 0);
  });

  it('counts the artifact of an index\'s linux/amd64 entry as existing', async () => {
    registry.addImage(REPO, indexManifest('idx', [{ label: 'amd-child', platform: LINUX_AMD64 }]), ['idx']);
    streaming.addReferrer(REPO, digestOf('amd-child'), streamingDescriptor('child-art'));
    const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: 'idx' }, options);
    assert.equal(outcome.kind, 'exists');
  });

  it('converts again with force, even though an artifact exists', async () => {
    streaming.addReferrer(REPO, digestOf('hello'), streamingDescriptor('art'));
    const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, { ...options, force: true });
    assert.equal(outcome.kind, 'started');
    assert.equal(streaming.recorder.count('listReferrers'), 0);
  });

  // NotStarted is the status ACR gives a queued conversion (and the POST's own reply): it is as
  // ongoing as Running, and POSTing again would queue a second conversion of the same image.
  for (const status of ['NotStarted', 'Running'] as const) {
    it(`reuses a ${status} operation instead of starting a second one, with or without force`, async () => {
      const ongoing = streaming.addOperation(REPO, digestOf('hello'), { status, progress: status === 'Running' ? 20 : 0 });
      for (const force of [false, true]) {
        const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, { ...options, force });
        assert.equal(outcome.kind, 'reused');
        assert.equal(outcome.kind === 'reused' && outcome.operation.id, ongoing.id);
        assert.equal(outcome.kind === 'reused' && outcome.operation.status, status);
      }
      assert.equal(streaming.recorder.count('startConversion'), 0);
      assert.equal(streaming.startedCount, 0);
      assert.deepEqual(sleeps, []);
    });
  }

  it('starts a new conversion after a cancelled or failed one', async () => {
    streaming.addOperation(REPO, digestOf('hello'), { status: 'Canceled' });
    assert.equal((await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options)).kind, 'started');
    registry.addImage(REPO, imageManifest('b'), ['b']);
    streaming.addOperation(REPO, digestOf('b'), { status: 'Failed', errorCode: 'UNKNOWN_ERROR' });
    assert.equal((await createStreamingArtifact(registry, streaming, { repository: REPO, tag: 'b' }, options)).kind, 'started');
  });

  describe('when the POST fails in a way that may hide a success', () => {
    it('finds the conversion its lost reply started, and does not POST again', async () => {
      streaming.loseNextReply(network());
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.equal(outcome.kind, 'reused');
      assert.equal(streaming.startedCount, 1, 'exactly one conversion was started');
      assert.equal(streaming.recorder.count('startConversion'), 1);
      assert.equal(outcome.kind === 'reused' && outcome.operation.status, 'NotStarted');
    });

    it('reuses the operation getLastOperation finds after a socket error on a POST the server handled, never POSTing again', async () => {
      // What a dropped connection looks like below the core: a raw Node socket error, thrown
      // after the server created the operation.
      streaming.loseNextReply(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      const seen: (string | undefined)[] = [];
      const original = streaming.getLastOperation.bind(streaming);
      streaming.getLastOperation = async (repository, digest, opts) => {
        const operation = await original(repository, digest, opts);
        seen.push(operation?.id);
        return operation;
      };
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, { ...options, maxAttempts: 5 });
      assert.equal(outcome.kind, 'reused');
      assert.deepEqual(streaming.recorder.methods(), ['listReferrers', 'getLastOperation', 'startConversion', 'getLastOperation']);
      assert.deepEqual(seen.slice(0, 1), [undefined], 'no operation before the POST');
      assert.equal(outcome.kind === 'reused' && outcome.operation.id, seen[1], 'the operation the check found');
      assert.equal(streaming.operation(REPO, seen[1] as string)?.status, 'NotStarted');
      assert.equal(streaming.startedCount, 1, 'one conversion at the server');
      assert.deepEqual(sleeps, [1000]);
    });

    it('finds it even when that conversion already ended, by its new id', async () => {
      const old = streaming.addOperation(REPO, digestOf('hello'), { status: 'Canceled' });
      streaming.loseNextReply(new AcrStreamingError('TIMEOUT', 'The request timed out.'));
      options.sleep = async (ms) => {
        sleeps.push(ms);
        // While we wait, the conversion our POST started finishes.
        const started = streaming.recorder.calls.filter((c) => c.method === 'startConversion').length;
        if (started === 1) {
          const current = await streaming.getLastOperation(REPO, digestOf('hello'));
          if (current && current.id !== old.id) {
            streaming.setOperation(REPO, current.id, { status: 'Succeeded', progress: 100 });
          }
        }
      };
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.equal(outcome.kind, 'reused');
      assert.notEqual(outcome.kind === 'reused' && outcome.operation.id, old.id);
      assert.equal(streaming.startedCount, 1);
    });

    it('retries a POST that did not land, after checking, and starts exactly one conversion', async () => {
      streaming.recorder.failNext('startConversion', new AcrStreamingError('SERVER_ERROR', 'Internal server error', { status: 500 }));
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.equal(outcome.kind, 'started');
      assert.equal(streaming.startedCount, 1);
      assert.deepEqual(streaming.recorder.methods(), ['listReferrers', 'getLastOperation', 'startConversion', 'getLastOperation', 'startConversion']);
      assert.deepEqual(sleeps, [1000]);
    });

    it('gives up after 3 POSTs with a clear error, having checked after the last one', async () => {
      streaming.recorder.failNext('startConversion', network(), 3);
      await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options), (error: unknown) => {
        assert.ok(error instanceof AcrStreamingError);
        assert.equal(error.code, 'NETWORK');
        assert.match(error.message, /after 3 attempts: Could not reach the registry/);
        assert.match(error.hint ?? '', /safe/);
        return true;
      });
      assert.equal(streaming.recorder.count('startConversion'), 3);
      assert.equal(streaming.recorder.count('getLastOperation'), 4);
      assert.deepEqual(sleeps, [1000, 2000, 4000]);
      assert.equal(streaming.startedCount, 0);
    });

    it('still reports the conversion when only the last POST landed', async () => {
      streaming.recorder.failNext('startConversion', network(), 2);
      streaming.loseNextReply(network());
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.equal(outcome.kind, 'reused');
      assert.equal(streaming.startedCount, 1);
    });

    it('waits at least as long as a TOO_MANY_REQUESTS reply asks', async () => {
      streaming.recorder.failNext('startConversion', new AcrStreamingError('TOO_MANY_REQUESTS', 'Too many requests', { status: 429, retryAfterMs: 7_000 }));
      await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.deepEqual(sleeps, [7000]);
    });

    it('does not POST in a round where it cannot tell whether the earlier POST landed', async () => {
      streaming.recorder.failNext('startConversion', network());
      const original = streaming.getLastOperation.bind(streaming);
      let reads = 0;
      streaming.getLastOperation = async (repository, digest, opts) => {
        reads += 1;
        if (reads === 2) {
          throw network();
        }
        return original(repository, digest, opts);
      };
      const outcome = await createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options);
      assert.equal(outcome.kind, 'started');
      assert.equal(streaming.recorder.count('startConversion'), 2, 'first POST, then one more after a check that worked');
      assert.deepEqual(sleeps, [1000, 2000]);
    });
  });

  it('does not retry errors that say the POST was refused', async () => {
    streaming.recorder.failNext('startConversion', new AcrStreamingError('DENIED', 'requested access to the resource is denied', { status: 403 }));
    await assert.rejects(createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, options), { code: 'DENIED' });
    assert.equal(streaming.recorder.count('startConversion'), 1);
    assert.deepEqual(sleeps, []);
  });

  it('stops when cancelled while waiting to retry', async () => {
    const controller = new AbortController();
    streaming.recorder.failNext('startConversion', network(), 3);
    // The real, abortable sleep: a minute that the abort cuts short.
    const pending = createStreamingArtifact(registry, streaming, { repository: REPO, tag: '1.0' }, { retryDelayMs: 60_000, signal: controller.signal });
    while (streaming.recorder.count('startConversion') === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    const abortedAt = Date.now();
    controller.abort();
    await assert.rejects(pending, { code: 'CANCELLED' });
    assert.ok(Date.now() - abortedAt < 1_000);
    assert.equal(streaming.recorder.count('startConversion'), 1);
  });
});
