/** The emulator's state (settings, operations, tag times) survives a restart on the same data folder. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, getOperation, startConversion, waitForStatus } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage } from './support/registryPush';

describe('emulator: restart', function () {
  this.timeout(60_000);
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'acr-emulator-restart-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps settings, operations and tag times, and resumes an interrupted conversion', async () => {
    const first = await startTestEmulator({ dataDir, conversionBytesPerSecond: 0 });
    let done: string;
    let interrupted: string;
    let tagsBefore: unknown;
    let imageDigest: string;
    let slowDigest: string;
    try {
      await call(first, 'POST', '/acr/v1/keep/app/_streaming', { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
      const image = await pushImage(first, 'keep/app', 'v1', { layerSizes: [2000] });
      imageDigest = image.digest;
      done = (await call(first, 'GET', `/acr/v1/keep/app/_streaming/${image.digest}`)).body.id;
      assert.equal((await waitForStatus(first, 'keep/app', done, ['Succeeded'])).status, 'Succeeded');
      await call(first, 'POST', '/acr/v1/keep/app/_streaming', { convertPushedImages: false });
      await call(first, 'POST', '/acr/v1/keep/slow/_streaming', { convertPushedImages: true });
      first.setConversionSpeed(20_000);
      const slow = await pushImage(first, 'keep/slow', 'v1', { layerSizes: [400_000] });
      slowDigest = slow.digest;
      interrupted = (await call(first, 'GET', `/acr/v1/keep/slow/_streaming/${slow.digest}`)).body.id;
      await waitForStatus(first, 'keep/slow', interrupted, ['Running']);
      tagsBefore = (await call(first, 'GET', '/acr/v1/keep/app/_tags')).body.tags;
    } finally {
      await first.stop();
    }
    const saved = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { operations: Array<{ id: string; status: string }> };
    assert.equal(saved.operations.find((o) => o.id === interrupted)?.status, 'Running');

    const second = await startTestEmulator({ dataDir, conversionBytesPerSecond: 0 });
    try {
      assert.deepEqual((await call(second, 'GET', '/acr/v1/keep/app/_streaming')).body, { convertPushedImages: false });
      assert.deepEqual((await call(second, 'GET', '/acr/v1/keep/slow/_streaming')).body, {
        convertPushedImages: true,
        conversionFormat: 'overlaybd',
        conversionVersion: 'v1',
      });
      const kept = await getOperation(second, 'keep/app', done);
      assert.equal(kept.status, 'Succeeded');
      assert.equal(kept.resource, `keep/app@${imageDigest}`);
      assert.deepEqual((await call(second, 'GET', '/acr/v1/keep/app/_tags')).body.tags, tagsBefore);
      assert.equal((await call(second, 'GET', `/v2/keep/app/referrers/${imageDigest}`)).body.manifests.length, 1);
      // The interrupted conversion starts over and completes; asking again does not start another.
      assert.equal(await startConversion(second, 'keep/slow', slowDigest), interrupted);
      assert.equal((await waitForStatus(second, 'keep/slow', interrupted, ['Succeeded', 'Failed'])).status, 'Succeeded');
    } finally {
      await second.stop();
    }
  });
});
