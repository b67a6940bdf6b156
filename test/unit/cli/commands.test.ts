/** Every command run in-process against the in-memory registry fakes. */
import assert from 'node:assert/strict';
import { AcrStreamingError } from '../../../src/core/errors';
import { throttledError } from '../../../src/core/http/responseErrors';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { FakeRegistry } from '../support/fakeRegistry';
import { FakeStreaming } from '../support/fakeStreaming';
import { LINUX_ARM64, digestOf, imageManifest, indexManifest, signatureDescriptor, streamingDescriptor } from '../support/fixtures';
import { fakeConnect, harness, type HarnessOptions } from './cliHarness';

const R = ['-r', 'fake.azurecr.io', '--auth', 'anonymous'];
const HELLO = imageManifest('hello-1.0');
const ARM = indexManifest('arm64-only', [{ label: 'arm64-child', platform: LINUX_ARM64 }]);

function setup(options: HarnessOptions = {}) {
  const registry = new FakeRegistry();
  const streaming = new FakeStreaming();
  registry.addImage('samples/hello', HELLO, ['1.0']);
  registry.addImage('samples/arm64-only', ARM, ['1.0']);
  const h = harness({ connect: fakeConnect(registry, streaming), ...options });
  return { registry, streaming, h };
}

/** Moves the last conversion along on each poll: Running 50%, then `end`. */
function scriptPolls(streaming: FakeStreaming, end: (id: string) => void): void {
  let polls = 0;
  streaming.recorder.before = (call) => {
    if (call.method !== 'getOperation') {
      return;
    }
    const id = call.args[1] as string;
    polls += 1;
    if (polls === 1) {
      streaming.setOperation('samples/hello', id, { status: 'Running', progress: 50 });
    } else if (polls === 2) {
      end(id);
    }
  };
}

describe('cli: create', () => {
  it('skips an image that already has a streaming artifact (exit 0, no POST)', async () => {
    const { streaming, h } = setup();
    streaming.addReferrer('samples/hello', HELLO.digest, streamingDescriptor('artifact'));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 0);
    assert.match(h.stdout.text, /already has a streaming artifact: .*overlaybd v1, linux\/amd64.*Nothing to do/);
    assert.equal(streaming.recorder.count('startConversion'), 0);
  });

  it('--no-wait starts the conversion and prints one JSON document', async () => {
    const { streaming, h } = setup();
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0', '--no-wait', '-o', 'json'), 0);
    const doc = JSON.parse(h.stdout.text) as { result: string; waited: boolean; digest: string; operation: { id: string; status: string } };
    assert.equal(doc.result, 'started');
    assert.equal(doc.waited, false);
    assert.equal(doc.digest, HELLO.digest);
    assert.equal(doc.operation.status, 'NotStarted');
    assert.equal(streaming.recorder.count('startConversion'), 1);
    assert.equal(streaming.recorder.count('getOperation'), 0, 'no polling with --no-wait');
  });

  it('waits to Succeeded, showing progress on stderr and the artifact on stdout', async () => {
    const { streaming, h } = setup();
    let artifact = '';
    scriptPolls(streaming, (id) => {
      artifact = streaming.completeConversion('samples/hello', id).digest;
    });
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 0, h.stderr.text);
    assert.match(h.stderr.text, /Converting samples\/hello:1\.0: queued/);
    assert.match(h.stderr.text, /Converting samples\/hello:1\.0: 50%/);
    assert.match(h.stdout.text, new RegExp(`Converted samples/hello:1\\.0 .*Succeeded\\. Streaming artifact: ${artifact}`));
  });

  it('waits with --output json: one document on stdout, progress only on stderr', async () => {
    const { streaming, h } = setup();
    scriptPolls(streaming, (id) => streaming.completeConversion('samples/hello', id));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0', '-o', 'json'), 0);
    const doc = JSON.parse(h.stdout.text) as { waited: boolean; operation: { status: string; progress: number }; artifacts: Array<{ artifactType: string }> };
    assert.equal(doc.waited, true);
    assert.equal(doc.operation.status, 'Succeeded');
    assert.equal(doc.artifacts[0].artifactType, STREAMING_ARTIFACT_TYPE);
  });

  it('exits 1 when the conversion fails, with the code and its hint', async () => {
    const { streaming, h } = setup();
    scriptPolls(streaming, (id) => streaming.setOperation('samples/hello', id, { status: 'Failed', errorCode: 'UNKNOWN_ERROR', details: 'disk on fire' }));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0', '-o', 'json'), 1);
    assert.equal((JSON.parse(h.stdout.text) as { operation: { status: string } }).operation.status, 'Failed');
    assert.match(h.stderr.text, /error: The conversion of samples\/hello:1\.0 \(operation [^)]+\) failed \(UNKNOWN_ERROR\): disk on fire/);
    assert.match(h.stderr.text, /hint: An internal error stopped the conversion/);
  });

  it('exits 1 when the conversion is cancelled while it waits', async () => {
    const { streaming, h } = setup();
    scriptPolls(streaming, (id) => streaming.setOperation('samples/hello', id, { status: 'Canceled' }));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.match(h.stderr.text, /error: .* was cancelled/);
  });

  it('refuses an image ACR cannot convert before any POST (exit 1)', async () => {
    const { streaming, h } = setup();
    assert.equal(await h.run('create', ...R, '-t', 'samples/arm64-only:1.0'), 1);
    assert.match(h.stderr.text, /cannot be converted.*no linux\/amd64 entry/);
    assert.match(h.stderr.text, /hint: Only the linux\/amd64 entry of an index is converted/);
    assert.equal(streaming.recorder.count('startConversion'), 0);
  });

  it('starts one conversion when the POST reply is lost', async () => {
    const { streaming, h } = setup();
    streaming.loseNextReply(new AcrStreamingError('NETWORK', 'socket hang up'));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0', '--no-wait', '-o', 'json'), 0, h.stderr.text);
    assert.equal(streaming.startedCount, 1);
    assert.equal((JSON.parse(h.stdout.text) as { result: string }).result, 'reused');
    assert.match(h.stderr.text, /warning: Starting the conversion .* failed \(NETWORK/);
  });

  it('stops waiting at --timeout (exit 1) and says how to follow the operation', async () => {
    const { h } = setup();
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0', '--timeout', '0.05'), 1);
    assert.match(h.stderr.text, /error: Stopped waiting for operation \S+ of samples\/hello:1\.0 after 0 s; it was NotStarted\./);
    assert.match(h.stderr.text, /hint: The conversion goes on in the registry\. Check it with: acr-streaming operation show --registry fake\.azurecr\.io --repository samples\/hello --id \S+/);
  });

  it('ends (exit 1) with the operation show hint when the operation vanishes, without --timeout', async () => {
    const { streaming, h } = setup();
    h.deps.pollPolicy = { ...h.deps.pollPolicy, unknownAfterMs: 30 };
    streaming.recorder.before = (call) => {
      if (call.method === 'getOperation') {
        streaming.forgetOperation('samples/hello', call.args[1] as string);
      }
    };
    const started = Date.now();
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.ok(Date.now() - started < 5_000);
    assert.ok(streaming.recorder.count('getOperation') >= 2, 'not given up at the first "not found"');
    assert.match(h.stderr.text, /error: Stopped waiting for operation \S+ of samples\/hello:1\.0: fake\.azurecr\.io no longer knows it/);
    assert.match(h.stderr.text, /hint: .*Look again with: acr-streaming operation show --registry fake\.azurecr\.io --repository samples\/hello --id \S+/);
  });

  it('ends the wait (exit 1) when polls are throttled for longer than the cap, saying when to retry', async () => {
    const { streaming, h } = setup();
    streaming.recorder.failNext('getOperation', throttledError('Reading operation x was throttled by fake.azurecr.io (HTTP 429)', 429, 3_600_000), 5);
    const started = Date.now();
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.ok(Date.now() - started < 5_000, 'the hour was not slept');
    assert.match(h.stderr.text, /error: Reading operation x was throttled by fake\.azurecr\.io \(HTTP 429\); retry after 60 min/);
    assert.match(h.stderr.text, /hint: The conversion may go on in the registry\. Check it with: acr-streaming operation show/);
  });

  it('stops waiting on Ctrl+C with exit 130', async () => {
    const controller = new AbortController();
    const { streaming, h } = setup({ signal: controller.signal });
    streaming.recorder.before = (call) => {
      if (call.method === 'getOperation') {
        controller.abort();
      }
    };
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 130);
    assert.match(h.stderr.text, /Stopped waiting/);
  });

  it('gives up waiting when polling is refused (UNAUTHORIZED)', async () => {
    const { streaming, h } = setup();
    streaming.recorder.failNext('getOperation', new AcrStreamingError('UNAUTHORIZED', 'token revoked'), 5);
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.match(h.stderr.text, /error: token revoked/);
    assert.match(h.stderr.text, /hint: Signed in anonymously/);
  });

  it('on a terminal, draws progress in place and erases it at the end', async () => {
    const { streaming, h } = setup({ tty: true });
    scriptPolls(streaming, (id) => streaming.completeConversion('samples/hello', id));
    assert.equal(await h.run('create', ...R, '-t', 'samples/hello:1.0'), 0);
    assert.ok(h.stderr.text.includes('\r\x1b[2KConverting samples/hello:1.0: 50%'), JSON.stringify(h.stderr.text));
    assert.ok(h.stderr.text.endsWith('\r\x1b[2K'), JSON.stringify(h.stderr.text.slice(-40)));
  });
});

describe('cli: operation show / cancel', () => {
  it('shows the last operation of an image', async () => {
    const { streaming, h } = setup();
    const op = streaming.addOperation('samples/hello', HELLO.digest, { status: 'Running', progress: 30 });
    assert.equal(await h.run('operation', 'show', ...R, '-t', 'samples/hello:1.0', '-o', 'json'), 0);
    assert.deepEqual(
      (({ id, status, progress, digest }) => ({ id, status, progress, digest }))(JSON.parse(h.stdout.text) as { id: string; status: string; progress: number; digest: string }),
      { id: op.id, status: 'Running', progress: 30, digest: HELLO.digest },
    );
  });

  it('shows an operation by repository and id', async () => {
    const { streaming, h } = setup();
    const op = streaming.addOperation('samples/hello', HELLO.digest, { status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM' });
    assert.equal(await h.run('operation', 'show', ...R, '--repository', 'samples/hello', '--id', op.id), 0);
    assert.match(h.stdout.text, /Status\s+Failed/);
    assert.match(h.stdout.text, /Error\s+UNSUPPORTED_PLATFORM/);
    assert.deepEqual(streaming.recorder.methods(), ['getOperation']);
  });

  it('exits 1 when an image has no operation', async () => {
    const { h } = setup();
    assert.equal(await h.run('operation', 'show', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.match(h.stderr.text, /has no conversion operation/);
    assert.equal(h.stdout.text, '');
  });

  it('cancels a running operation', async () => {
    const { streaming, h } = setup();
    const op = streaming.addOperation('samples/hello', HELLO.digest, { status: 'Running' });
    assert.equal(await h.run('operation', 'cancel', ...R, '-t', 'samples/hello:1.0'), 0);
    assert.equal(streaming.operation('samples/hello', op.id)?.status, 'Canceled');
    assert.match(h.stdout.text, /Cancelled operation/);
  });

  it('treats cancelling a cancelled operation as done, and refuses to cancel a finished one', async () => {
    const { streaming, h } = setup();
    streaming.addOperation('samples/hello', HELLO.digest, { status: 'Canceled' });
    assert.equal(await h.run('operation', 'cancel', ...R, '-t', 'samples/hello:1.0'), 0);
    assert.match(h.stdout.text, /already cancelled/);
    streaming.addOperation('samples/hello', HELLO.digest, { status: 'Succeeded', progress: 100 });
    const again = harness({ connect: fakeConnect(new FakeRegistryWith(HELLO), streaming) });
    assert.equal(await again.run('operation', 'cancel', ...R, '-t', 'samples/hello:1.0'), 1);
    assert.match(again.stderr.text, /already ended \(Succeeded\)/);
    assert.equal(streaming.recorder.count('cancelOperation'), 0);
  });
});

class FakeRegistryWith extends FakeRegistry {
  constructor(manifest: ReturnType<typeof imageManifest>) {
    super();
    this.addImage('samples/hello', manifest, ['1.0']);
  }
}

describe('cli: update / show', () => {
  it('turns auto-conversion on and off', async () => {
    const { streaming, h } = setup();
    assert.equal(await h.run('update', ...R, '--repository', 'samples/hello', '--enable-streaming', 'true'), 0);
    assert.match(h.stdout.text, /Streaming\s+Active/);
    assert.deepEqual(streaming.recorder.calls.at(-1)?.args, ['samples/hello', true]);
    const off = harness({ connect: fakeConnect(new FakeRegistry(), streaming) });
    assert.equal(await off.run('update', ...R, '--repository', 'samples/hello', '--enable-streaming', 'FALSE', '-o', 'json'), 0);
    assert.equal((JSON.parse(off.stdout.text) as { state: string }).state, 'Inactive');
    const show = harness({ connect: fakeConnect(new FakeRegistry(), streaming) });
    assert.equal(await show.run('show', ...R, '--repository', 'samples/hello', '-o', 'json'), 0);
    assert.deepEqual(JSON.parse(show.stdout.text), { repository: 'samples/hello', state: 'Inactive', convertPushedImages: false, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
  });
});

describe('cli: status / list-referrers', () => {
  it('reports each badge with exit 0', async () => {
    const { streaming, h } = setup();
    assert.equal(await h.run('status', ...R, '-t', 'samples/arm64-only:1.0', '-o', 'json'), 0);
    const arm = JSON.parse(h.stdout.text) as { state: string; code: string };
    assert.deepEqual([arm.state, arm.code], ['unsupported', 'NO_SUPPORTED_PLATFORM_FOUND']);

    streaming.addReferrer('samples/hello', HELLO.digest, streamingDescriptor('artifact'));
    const streamed = harness({ connect: fakeConnect(new FakeRegistryWith(HELLO), streaming) });
    assert.equal(await streamed.run('status', ...R, '-t', `samples/hello@${HELLO.digest}`), 0);
    assert.match(streamed.stdout.text, /State\s+streamed/);
  });

  it('refuses a tag and digest that disagree', async () => {
    const { h } = setup();
    assert.equal(await h.run('status', ...R, '-t', `samples/hello:1.0@${digestOf('other')}`), 2);
    assert.match(h.stderr.text, /points to .*not to/);
  });

  it('lists referrers, filtered by type when asked', async () => {
    const { streaming, h } = setup();
    streaming.addReferrer('samples/hello', HELLO.digest, streamingDescriptor('artifact'));
    streaming.addReferrer('samples/hello', HELLO.digest, signatureDescriptor('sig'));
    assert.equal(await h.run('list-referrers', ...R, '-t', 'samples/hello:1.0', '-o', 'json'), 0);
    assert.equal((JSON.parse(h.stdout.text) as { referrers: unknown[] }).referrers.length, 2);
    const filtered = harness({ connect: fakeConnect(new FakeRegistryWith(HELLO), streaming) });
    assert.equal(await filtered.run('list-referrers', ...R, '-t', 'samples/hello:1.0', '--artifact-type', 'streaming'), 0);
    assert.equal(streaming.recorder.calls.at(-1)?.args[2], STREAMING_ARTIFACT_TYPE);
    assert.equal(filtered.stdout.text.trim().split('\n').length, 2, 'header and one row');
  });
});

describe('cli: sign-in', () => {
  it('loads the Entra credential for --auth entra and hands it to connect', async () => {
    const { h } = setup();
    assert.equal(await h.run('show', '-r', 'fake.azurecr.io', '--auth', 'entra', '--repository', 'samples/hello'), 0);
    assert.equal(h.entraLoads, 1);
    assert.equal(h.connects[0].credentials.kind, 'entra');
  });

  it('does not load Entra for basic or anonymous sign-in', async () => {
    const { h } = setup({ env: { ACR_STREAMING_USERNAME: 'admin', ACR_STREAMING_PASSWORD: 'pw-from-env' }, onPath: ['az'] });
    assert.equal(await h.run('show', '-r', 'fake.azurecr.io', '--repository', 'samples/hello'), 0);
    assert.equal(h.entraLoads, 0);
    assert.deepEqual(h.connects[0].credentials, { kind: 'basic', username: 'admin', password: 'pw-from-env' });
  });

  it('adds a sign-in hint to an authentication failure, and never prints the password', async () => {
    const { streaming, h } = setup({ env: { ACR_STREAMING_USERNAME: 'admin', ACR_STREAMING_PASSWORD: 'very-secret-pw' } });
    streaming.recorder.failNext('getRepositoryState', new AcrStreamingError('UNAUTHORIZED', 'fake.azurecr.io refused the credentials (very-secret-pw).', { hint: 'Check the username and password.' }));
    assert.equal(await h.run('show', '-r', 'fake.azurecr.io', '--repository', 'samples/hello', '--verbose'), 1);
    assert.match(h.stderr.text, /error: fake\.azurecr\.io refused the credentials/);
    assert.doesNotMatch(h.stderr.text + h.stdout.text, /very-secret-pw/);
  });
});
