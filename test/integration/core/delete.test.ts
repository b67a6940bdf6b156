/** Deleting tags and manifests through the core, against the emulator on the real docker-registry. */
import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import type { RegistryConnection } from '../../../src/core/connection';
import { createStreamingArtifact } from '../../../src/core/createStreamingArtifact';
import { AcrStreamingError } from '../../../src/core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { parseImageReference, parseRegistry } from '../../../src/core/reference';
import type { EmulatorHandle } from '../../../emulator';
import { startTestEmulator } from '../emulator/support/emulatorFixture';
import { pushImage, pushManifest, type Target } from '../emulator/support/registryPush';

const fast = { maxRetries: 3, retryDelayMs: 20, timeoutMs: 10_000 };
const REPO = 'deletes/app';

describe('deleting tags and manifests', function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  let conn: RegistryConnection;
  let target: Target;

  before(async () => {
    emulator = await startTestEmulator({ conversionBytesPerSecond: 0, tokens: [{ username: 'reader', password: 'reader-pass', scopes: [`repository:${REPO}:pull`] }] });
    target = { url: emulator.url, username: emulator.username, password: emulator.password };
    conn = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast);
  });
  after(() => emulator?.stop());
  afterEach(() => emulator.clearFaults());

  async function tagNames(): Promise<string[]> {
    return (await conn.registry.listTags(REPO, { pageSize: 1000 })).items.map((t) => t.name).sort();
  }

  /** Converts an image and waits for its streaming artifact; returns the artifact's digest. */
  async function convert(tag: string): Promise<string> {
    const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference(`${REPO}:${tag}`));
    assert.ok(outcome.kind === 'started', outcome.kind);
    for (;;) {
      const operation = await conn.streaming.getOperation(REPO, outcome.operation.id);
      if (operation.status === 'Succeeded') {
        break;
      }
      assert.ok(['NotStarted', 'Running'].includes(operation.status), `conversion ended ${operation.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const referrers = await conn.streaming.listReferrers(REPO, outcome.digest, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.equal(referrers.length, 1);
    return referrers[0].digest;
  }

  it('deletes one tag; the manifest, its other tags and its streaming artifact stay', async () => {
    const image = await pushImage(target, REPO, 'one');
    await pushManifest(target, REPO, 'one-alias', JSON.parse(image.body.toString('utf8')), image.mediaType);
    const artifact = await convert('one');

    await conn.registry.deleteTag(REPO, 'one');

    const tags = await tagNames();
    assert.ok(!tags.includes('one'), tags.join());
    assert.ok(tags.includes('one-alias'), tags.join());
    assert.equal(await conn.registry.resolveDigest(REPO, 'one-alias'), image.digest);
    await assert.rejects(conn.registry.resolveDigest(REPO, 'one'), (e: unknown) => e instanceof AcrStreamingError && e.status === 404);
    assert.equal((await conn.registry.getManifest(REPO, image.digest)).digest, image.digest);
    const referrers = await conn.streaming.listReferrers(REPO, image.digest, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.deepEqual(referrers.map((r) => r.digest), [artifact]);
  });

  it('deletes a manifest by digest with every tag and its streaming artifact', async () => {
    const image = await pushImage(target, REPO, 'two');
    await pushManifest(target, REPO, 'two-alias', JSON.parse(image.body.toString('utf8')), image.mediaType);
    const artifact = await convert('two');

    await conn.registry.deleteManifest(REPO, image.digest);

    const tags = await tagNames();
    assert.ok(!tags.includes('two') && !tags.includes('two-alias'), tags.join());
    await assert.rejects(conn.registry.getManifest(REPO, image.digest), (e: unknown) => e instanceof AcrStreamingError && e.status === 404);
    await assert.rejects(conn.registry.getManifest(REPO, artifact), (e: unknown) => e instanceof AcrStreamingError && e.status === 404);
  });

  it('reports deleting what does not exist', async () => {
    await pushImage(target, REPO, 'three');
    await assert.rejects(conn.registry.deleteTag(REPO, 'never-pushed'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NOT_FOUND' && e.status === 404);
    await assert.rejects(conn.registry.deleteManifest(REPO, `sha256:${'0'.repeat(64)}`), (e: unknown) => e instanceof AcrStreamingError && e.code === 'MANIFEST_UNKNOWN');
    await assert.rejects(conn.registry.deleteTag('deletes/nowhere', 'three'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NAME_UNKNOWN');
  });

  /** Fault hits left, to show that a reply was really lost. */
  async function remainingFaultHits(): Promise<Array<number | null>> {
    const reply = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ remaining: number | null }> };
    return reply.rules.map((rule) => rule.remaining);
  }

  it('resolves when the reply to a delete that took effect was lost', async () => {
    const image = await pushImage(target, REPO, 'four');
    emulator.setFaults([{ match: '^DELETE /v2/.*/manifests/sha256', kind: 'drop', afterHandling: true, times: 1 }]);
    await conn.registry.deleteManifest(REPO, image.digest);
    assert.deepEqual(await remainingFaultHits(), [0]);
    await assert.rejects(conn.registry.getManifest(REPO, image.digest), (e: unknown) => e instanceof AcrStreamingError && e.status === 404);

    await pushImage(target, REPO, 'five');
    emulator.setFaults([{ match: '^DELETE /acr/v1/.*/_tags/five', kind: 'drop', afterHandling: true, times: 1 }]);
    await conn.registry.deleteTag(REPO, 'five');
    assert.deepEqual(await remainingFaultHits(), [0]);
    assert.ok(!(await tagNames()).includes('five'));
  });

  it('needs delete rights: a pull-only token is refused', async () => {
    const image = await pushImage(target, REPO, 'six');
    const reader = connect(parseRegistry(emulator.url), { kind: 'basic', username: 'reader', password: 'reader-pass' }, fast);
    await assert.rejects(reader.registry.deleteManifest(REPO, image.digest), (e: unknown) => e instanceof AcrStreamingError && (e.code === 'DENIED' || e.code === 'UNAUTHORIZED'));
    assert.equal(await conn.registry.resolveDigest(REPO, 'six'), image.digest);
  });
});
