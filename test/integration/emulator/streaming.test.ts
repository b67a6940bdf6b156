/**
 * Artifact streaming against the emulator: repository settings, real conversions (artifact
 * manifest, referrers, fallback tag), progress, duplicate POSTs, cancel, auto-conversion.
 */
import assert from 'node:assert/strict';
import { call, getOperation, startConversion, waitForStatus, type LooseJson } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { digestOf, OCI_MANIFEST, pushImage, pushIndex, pushSignature } from './support/registryPush';

const STREAMING = 'application/vnd.azure.artifact.streaming.v1';

describe('emulator: artifact streaming', function () {
  this.timeout(60_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;

  before(async () => {
    emu = await startTestEmulator({ conversionBytesPerSecond: 0 });
  });
  after(async () => {
    await emu?.stop();
  });
  afterEach(function () {
    emu.setConversionSpeed(0);
    if (this.currentTest?.state === 'failed') {
      console.log(emu.logs.slice(-30).join('\n'));
    }
  });

  it('reads and sets repository streaming settings with the recorded shapes', async () => {
    await pushImage(emu, 'settings/app', 'v1');
    const before = await call(emu, 'GET', '/acr/v1/settings/app/_streaming');
    assert.equal(before.status, 200);
    assert.deepEqual(before.body, { convertPushedImages: false });
    assert.equal(before.headers.get('content-type'), 'application/json; charset=utf-8');

    const set = await call(emu, 'POST', '/acr/v1/settings/app/_streaming', { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    assert.equal(set.status, 202);
    assert.deepEqual(Object.keys(set.body), ['convertPushedImages', 'conversionFormat', 'conversionVersion', 'status', 'id']);
    assert.equal(set.body.status, 'Succeeded');
    assert.equal(set.headers.get('operation-id'), set.body.id);
    assert.equal(set.headers.get('operation-location'), `${emu.url}/acr/v1/settings/app/_operations/${set.body.id}`);
    assert.equal(set.headers.get('location'), set.headers.get('operation-location'));

    const after = await call(emu, 'GET', '/acr/v1/settings/app/_streaming');
    assert.deepEqual(after.body, { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });

    const bad = await call(emu, 'POST', '/acr/v1/settings/app/_streaming', { convertPushedImages: 'yes' });
    assert.equal(bad.status, 400);
    const off = await call(emu, 'POST', '/acr/v1/settings/app/_streaming', { convertPushedImages: false });
    assert.equal(off.status, 202);
    assert.deepEqual((await call(emu, 'GET', '/acr/v1/settings/app/_streaming')).body, { convertPushedImages: false });
    assert.equal((await call(emu, 'GET', '/acr/v1/nothing/here/_streaming')).status, 404);
  });

  it('converts an amd64 image into a real streaming artifact listed in referrers', async () => {
    const image = await pushImage(emu, 'conv/app', 'v1', { layerSizes: [150_000, 40_000] });
    const unknown = await call(emu, 'GET', `/acr/v1/conv/app/_streaming/${image.digest}`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { errors: [{ code: 'OPERATION_UNKNOWN', message: 'The specified operation does not exist' }] });

    const post = await call(emu, 'POST', `/acr/v1/conv/app/_streaming/${image.digest}`, { conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    assert.equal(post.status, 202);
    assert.deepEqual(post.body, { id: post.body.id, status: 'NotStarted' });
    assert.equal(post.headers.get('operation-id'), post.body.id);
    const done = await waitForStatus(emu, 'conv/app', post.body.id, ['Succeeded', 'Failed']);
    assert.equal(done.status, 'Succeeded', JSON.stringify(done));
    assert.equal(done.name, 'ArtifactStreamingConversion');
    assert.equal(done.resource, `conv/app@${image.digest}`);
    assert.equal(done.progress, '100%');
    assert.match(done.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal('id' in done, false);

    const last = await call(emu, 'GET', `/acr/v1/conv/app/_streaming/${image.digest}`);
    assert.deepEqual(last.body, { id: post.body.id, status: 'Succeeded' });

    const referrers = await call(emu, 'GET', `/v2/conv/app/referrers/${image.digest}`);
    assert.equal(referrers.status, 200);
    assert.equal(referrers.headers.get('content-type'), 'application/vnd.oci.image.index.v1+json');
    assert.equal(referrers.headers.get('oci-filters-applied'), null);
    assert.equal(referrers.body.manifests.length, 1);
    const descriptor = referrers.body.manifests[0];
    assert.equal(descriptor.artifactType, STREAMING);
    assert.equal(descriptor.annotations['streaming.platform.arch'], 'amd64');

    const artifact = await call(emu, 'GET', `/v2/conv/app/manifests/${descriptor.digest}`, undefined, { Accept: OCI_MANIFEST });
    assert.equal(artifact.status, 200);
    assert.equal(artifact.body.artifactType, STREAMING);
    assert.deepEqual(artifact.body.annotations, {
      'streaming.format': 'overlaybd',
      'streaming.version': 'v1',
      'streaming.platform.os': 'linux',
      'streaming.platform.arch': 'amd64',
    });
    assert.equal(artifact.body.subject.digest, image.digest);
    assert.equal(artifact.body.layers.length, 2);
    for (const [i, layer] of artifact.body.layers.entries()) {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar');
      assert.equal(layer.annotations['streaming.source.digest'], image.layers[i]);
      // The derived blob is real: it holds the source layer's uncompressed tar.
      const blob = await fetch(`${emu.url}/v2/conv/app/blobs/${layer.digest}`, { headers: { Authorization: `Basic ${Buffer.from('acrstreaming:test-password').toString('base64')}` } });
      const bytes = Buffer.from(await blob.arrayBuffer());
      assert.equal(digestOf(bytes), layer.digest);
      assert.equal(bytes.subarray(0, 16).toString('ascii'), 'ACREMU-OVERLAYBD');
      assert.equal(bytes.subarray(4096 + 257, 4096 + 262).toString('ascii'), 'ustar');
    }

    // The artifactType filter, as recorded.
    const filtered = await call(emu, 'GET', `/v2/conv/app/referrers/${image.digest}?artifactType=${encodeURIComponent(STREAMING)}`);
    assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
    assert.equal(filtered.body.manifests.length, 1);
    const other = await call(emu, 'GET', `/v2/conv/app/referrers/${image.digest}?artifactType=application%2Fx-other`);
    assert.deepEqual(other.body, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });

    // The OCI 1.1 referrers tag schema fallback, in the raw registry underneath.
    const fallback = await fetch(`${emu.upstreamUrl}/v2/conv/app/manifests/${image.digest.replace(':', '-')}`, {
      headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
    });
    assert.equal(fallback.status, 200);
    const fallbackIndex = (await fallback.json()) as { manifests: Array<{ digest: string }> };
    assert.deepEqual(fallbackIndex.manifests.map((m) => m.digest), [descriptor.digest]);
    // …but hidden from ACR's listings.
    const tags = await call(emu, 'GET', '/acr/v1/conv/app/_tags');
    assert.deepEqual(tags.body.tags.map((t: { name: string }) => t.name), ['v1']);
  });

  it('converts the linux/amd64 entry of an index, with the index as subject', async () => {
    const amd64 = await pushImage(emu, 'conv/multi', undefined, { layerSizes: [20_000] });
    const arm64 = await pushImage(emu, 'conv/multi', undefined, { architecture: 'arm64', layerSizes: [20_000] });
    const index = await pushIndex(emu, 'conv/multi', 'v1', [
      { pushed: arm64, os: 'linux', architecture: 'arm64' },
      { pushed: amd64, os: 'linux', architecture: 'amd64' },
    ]);
    const id = await startConversion(emu, 'conv/multi', index.digest);
    const done = await waitForStatus(emu, 'conv/multi', id, ['Succeeded', 'Failed']);
    assert.equal(done.status, 'Succeeded', JSON.stringify(done));
    const referrers = await call(emu, 'GET', `/v2/conv/multi/referrers/${index.digest}`);
    const artifact = await call(emu, 'GET', `/v2/conv/multi/manifests/${referrers.body.manifests[0].digest}`, undefined, { Accept: OCI_MANIFEST });
    assert.equal(artifact.body.subject.digest, index.digest);
    assert.equal(artifact.body.subject.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(artifact.body.layers[0].annotations['streaming.source.digest'], amd64.layers[0]);
  });

  it('reports rising progress, and returns the ongoing operation to a duplicate POST', async () => {
    const image = await pushImage(emu, 'conv/slow', 'v1', { layerSizes: [600_000] });
    emu.setConversionSpeed(200_000);
    const id = await startConversion(emu, 'conv/slow', image.digest);
    assert.equal(await startConversion(emu, 'conv/slow', image.digest), id);
    const seen = new Set<number>();
    for (let i = 0; i < 60 && seen.size < 3; i++) {
      const operation = await getOperation(emu, 'conv/slow', id);
      seen.add(Number.parseInt(operation.progress, 10));
      assert.equal(await startConversion(emu, 'conv/slow', image.digest), id, 'a second POST while running must not start another conversion');
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const values = [...seen].sort((a, b) => a - b);
    assert.ok(values.length >= 3, `progress should move: saw ${values.join(', ')}`);
    assert.ok(values.some((v) => v > 0 && v < 100), `an intermediate progress value is expected: ${values.join(', ')}`);
    emu.setConversionSpeed(0);
    const done = await waitForStatus(emu, 'conv/slow', id, ['Succeeded', 'Failed']);
    assert.equal(done.status, 'Succeeded');
    // After it finished, a new POST starts a new operation.
    const again = await startConversion(emu, 'conv/slow', image.digest);
    assert.notEqual(again, id);
    await waitForStatus(emu, 'conv/slow', again, ['Succeeded']);
    // The same image converts to the same artifact: still one referrer.
    const referrers = await call(emu, 'GET', `/v2/conv/slow/referrers/${image.digest}`);
    assert.equal(referrers.body.manifests.length, 1);
  });

  it('cancels a running conversion mid-way and pushes no artifact', async () => {
    const image = await pushImage(emu, 'conv/cancel', 'v1', { layerSizes: [800_000] });
    emu.setConversionSpeed(100_000);
    const id = await startConversion(emu, 'conv/cancel', image.digest);
    await waitForStatus(emu, 'conv/cancel', id, ['Running']);
    const cancel = await call(emu, 'POST', `/acr/v1/conv/cancel/_operations/${id}:cancel`);
    assert.equal(cancel.status, 200);
    assert.equal(cancel.body.name, 'Cancel: ArtifactStreamingConversion');
    assert.equal(cancel.body.status, 'Canceled');
    assert.equal(cancel.body.details, `Conversion started for resource conv/cancel@${image.digest}`);
    emu.setConversionSpeed(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const operation = await getOperation(emu, 'conv/cancel', id);
    assert.equal(operation.status, 'Canceled');
    assert.equal(operation.name, 'ArtifactStreamingConversion');
    assert.deepEqual((await call(emu, 'GET', `/acr/v1/conv/cancel/_streaming/${image.digest}`)).body, { id, status: 'Canceled' });
    assert.equal((await call(emu, 'GET', `/v2/conv/cancel/referrers/${image.digest}`)).body.manifests.length, 0);
    // Cancelling again is harmless; cancelling a finished conversion is a 409.
    assert.equal((await call(emu, 'POST', `/acr/v1/conv/cancel/_operations/${id}:cancel`)).status, 200);
    const next = await startConversion(emu, 'conv/cancel', image.digest);
    await waitForStatus(emu, 'conv/cancel', next, ['Succeeded']);
    const late = await call(emu, 'POST', `/acr/v1/conv/cancel/_operations/${next}:cancel`);
    assert.equal(late.status, 409);
    assert.equal(late.body.errors[0].code, 'OPERATION_NOT_CANCELABLE');
    assert.equal((await call(emu, 'GET', '/acr/v1/conv/cancel/_operations/00000000-0000-0000-0000-000000000000')).body.errors[0].code, 'OPERATION_UNKNOWN');
  });

  it('runs at most two conversions at once; the third waits NotStarted', async () => {
    emu.setConversionSpeed(50_000);
    const images = [];
    for (let i = 0; i < 3; i++) {
      images.push(await pushImage(emu, 'conv/queue', `v${i}`, { layerSizes: [400_000] }));
    }
    const ids: string[] = [];
    for (const image of images) {
      ids.push(await startConversion(emu, 'conv/queue', image.digest));
    }
    // Started in the order asked for: the first two run, the third waits (slow: none can finish).
    const statusesOf = () => Promise.all(ids.map(async (id) => (await getOperation(emu, 'conv/queue', id)).status));
    let statuses = await statusesOf();
    for (let tries = 0; tries < 100 && statuses.filter((s) => s === 'Running').length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      statuses = await statusesOf();
    }
    assert.deepEqual(statuses, ['Running', 'Running', 'NotStarted']);
    emu.setConversionSpeed(0);
    for (const id of ids) {
      assert.equal((await waitForStatus(emu, 'conv/queue', id, ['Succeeded', 'Failed'])).status, 'Succeeded');
    }
  });

  describe('failures', () => {
    async function failure(repo: string, digest: string): Promise<Record<string, LooseJson>> {
      const id = await startConversion(emu, repo, digest);
      const operation = await waitForStatus(emu, repo, id, ['Failed', 'Succeeded']);
      assert.equal(operation.status, 'Failed', JSON.stringify(operation));
      assert.equal(operation.details.split(':')[0], operation.error.code);
      return operation;
    }

    it('RESOURCE_NOT_FOUND for a digest the repository does not have', async () => {
      await pushImage(emu, 'fail/app', 'v1');
      const operation = await failure('fail/app', `sha256:${'0'.repeat(64)}`);
      assert.equal(operation.error.code, 'RESOURCE_NOT_FOUND');
    });

    it('UNSUPPORTED_PLATFORM for an arm64 image', async () => {
      const image = await pushImage(emu, 'fail/app', 'arm', { architecture: 'arm64' });
      assert.equal((await failure('fail/app', image.digest)).error.code, 'UNSUPPORTED_PLATFORM');
      const windows = await pushImage(emu, 'fail/app', 'win', { os: 'windows' });
      assert.equal((await failure('fail/app', windows.digest)).error.code, 'UNSUPPORTED_PLATFORM');
    });

    it('NO_SUPPORTED_PLATFORM_FOUND for an index without linux/amd64', async () => {
      const arm = await pushImage(emu, 'fail/app', undefined, { architecture: 'arm64' });
      const index = await pushIndex(emu, 'fail/app', 'armonly', [{ pushed: arm, os: 'linux', architecture: 'arm64' }]);
      assert.equal((await failure('fail/app', index.digest)).error.code, 'NO_SUPPORTED_PLATFORM_FOUND');
    });

    it('IMAGE_NOT_RUNNABLE for a signature', async () => {
      const image = await pushImage(emu, 'fail/app', 'signed');
      const signature = await pushSignature(emu, 'fail/app', image);
      assert.equal((await failure('fail/app', signature.digest)).error.code, 'IMAGE_NOT_RUNNABLE');
      // The signature is a referrer of the image, next to nothing else.
      const referrers = await call(emu, 'GET', `/v2/fail/app/referrers/${image.digest}`);
      assert.deepEqual(referrers.body.manifests.map((m: { artifactType: string }) => m.artifactType), ['application/vnd.cncf.notary.signature']);
    });

    it('UNSUPPORTED_ARTIFACT_TYPE for a streaming artifact', async () => {
      const image = await pushImage(emu, 'fail/app', 'convertme', { layerSizes: [1000] });
      const id = await startConversion(emu, 'fail/app', image.digest);
      const op = await waitForStatus(emu, 'fail/app', id, ['Succeeded']);
      assert.equal(op.status, 'Succeeded');
      const referrers = await call(emu, 'GET', `/v2/fail/app/referrers/${image.digest}?artifactType=${encodeURIComponent(STREAMING)}`);
      assert.equal((await failure('fail/app', referrers.body.manifests[0].digest)).error.code, 'UNSUPPORTED_ARTIFACT_TYPE');
    });

    it('UNSUPPORTED_MEDIATYPE for a manifest of another type (a Docker schema 1 manifest in storage)', async () => {
      // docker-registry 2.8 refuses schema 1 pushes, so write one into its storage as an old registry would have.
      const { mkdir, writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      await pushImage(emu, 'fail/legacy', 'v1');
      const body = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'fail/legacy', tag: 'old', architecture: 'amd64', fsLayers: [], history: [] }));
      const digest = digestOf(body);
      const hex = digest.slice(7);
      const v2 = join(emu.dataDir, 'registry', 'docker', 'registry', 'v2');
      await mkdir(join(v2, 'blobs', 'sha256', hex.slice(0, 2), hex), { recursive: true });
      await writeFile(join(v2, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'), body);
      await mkdir(join(v2, 'repositories', 'fail', 'legacy', '_manifests', 'revisions', 'sha256', hex), { recursive: true });
      await writeFile(join(v2, 'repositories', 'fail', 'legacy', '_manifests', 'revisions', 'sha256', hex, 'link'), digest);
      assert.equal((await failure('fail/legacy', digest)).error.code, 'UNSUPPORTED_MEDIATYPE');
    });

    it('RESOURCE_NOT_FOUND when a source layer disappears mid-way', async () => {
      const image = await pushImage(emu, 'fail/vanish', 'v1', { layerSizes: [300_000, 300_000] });
      emu.setConversionSpeed(150_000);
      const id = await startConversion(emu, 'fail/vanish', image.digest);
      await waitForStatus(emu, 'fail/vanish', id, ['Running']);
      const removed = await call(emu, 'DELETE', `/v2/fail/vanish/blobs/${image.layers[1]}`);
      assert.equal(removed.status, 202);
      emu.setConversionSpeed(0);
      const operation = await waitForStatus(emu, 'fail/vanish', id, ['Failed', 'Succeeded']);
      assert.equal(operation.status, 'Failed');
      assert.equal(operation.error.code, 'RESOURCE_NOT_FOUND');
      assert.match(operation.details, /^RESOURCE_NOT_FOUND: /);
    });
  });

  describe('auto-conversion', () => {
    it('converts runnable amd64 images pushed into an Active repository, and nothing else', async () => {
      assert.equal((await call(emu, 'POST', '/acr/v1/auto/app/_streaming', { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' })).status, 202);
      const image = await pushImage(emu, 'auto/app', 'v1', { layerSizes: [10_000] });
      // The operation exists as soon as the push is acknowledged.
      const last = await call(emu, 'GET', `/acr/v1/auto/app/_streaming/${image.digest}`);
      assert.equal(last.status, 200, 'a push into an Active repository starts a conversion');
      const done = await waitForStatus(emu, 'auto/app', last.body.id, ['Succeeded', 'Failed']);
      assert.equal(done.status, 'Succeeded');

      const arm = await pushImage(emu, 'auto/app', 'arm', { architecture: 'arm64' });
      assert.equal((await call(emu, 'GET', `/acr/v1/auto/app/_streaming/${arm.digest}`)).status, 404);
      const signature = await pushSignature(emu, 'auto/app', image);
      assert.equal((await call(emu, 'GET', `/acr/v1/auto/app/_streaming/${signature.digest}`)).status, 404);

      // Inactive repositories are left alone.
      const inactive = await pushImage(emu, 'auto/off', 'v1');
      assert.equal((await call(emu, 'GET', `/acr/v1/auto/off/_streaming/${inactive.digest}`)).status, 404);
    });

    it('notices pushes made straight to the registry underneath', async () => {
      await call(emu, 'POST', '/acr/v1/auto/direct/_streaming', { convertPushedImages: true });
      const image = await pushImage({ url: emu.upstreamUrl, username: 'x', password: 'y' }, 'auto/direct', 'v1', { layerSizes: [5000] });
      const deadline = Date.now() + 10_000;
      let last = await call(emu, 'GET', `/acr/v1/auto/direct/_streaming/${image.digest}`);
      while (last.status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        last = await call(emu, 'GET', `/acr/v1/auto/direct/_streaming/${image.digest}`);
      }
      assert.equal(last.status, 200);
      assert.equal((await waitForStatus(emu, 'auto/direct', last.body.id, ['Succeeded', 'Failed'])).status, 'Succeeded');
      const tags = await call(emu, 'GET', '/acr/v1/auto/direct/_tags');
      assert.deepEqual(tags.body.tags.map((t: { name: string }) => t.name), ['v1']);
    });
  });

  it('deleting an image deletes its streaming artifact and referrers tag', async () => {
    const image = await pushImage(emu, 'conv/delete', 'v1', { layerSizes: [5000] });
    const id = await startConversion(emu, 'conv/delete', image.digest);
    await waitForStatus(emu, 'conv/delete', id, ['Succeeded']);
    const referrers = await call(emu, 'GET', `/v2/conv/delete/referrers/${image.digest}`);
    const artifactDigest = referrers.body.manifests[0].digest;
    assert.equal((await call(emu, 'DELETE', `/v2/conv/delete/manifests/${image.digest}`)).status, 202);
    assert.equal((await call(emu, 'GET', `/v2/conv/delete/manifests/${artifactDigest}`, undefined, { Accept: OCI_MANIFEST })).status, 404);
    const raw = await fetch(`${emu.upstreamUrl}/v2/conv/delete/manifests/${image.digest.replace(':', '-')}`);
    assert.equal(raw.status, 404);
    const manifests = await call(emu, 'GET', '/acr/v1/conv/delete/_manifests');
    assert.deepEqual(manifests.body.manifests, []);
  });
});
