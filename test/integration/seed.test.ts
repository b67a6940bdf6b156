/**
 * `--seed` end to end: a real emulator (docker-registry underneath) seeded with the sample
 * content, checked through `/v2/` and `/acr/v1/` as a client sees them.
 */
import * as assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { OciClient } from '../../emulator/oci/ociClient';
import { referrersTagFor } from '../../emulator/oci/digest';
import { SEED_MARKER_FILE, seedEmulator } from '../../emulator/seed';
import { MEDIA_TYPES } from '../../src/core/mediaTypes';

const NOTARY = 'application/vnd.cncf.notary.signature';
const SAMPLE_TAGS: Record<string, string[]> = {
  'samples/hello': ['1.0', '1.1', '2.0', 'latest'],
  'samples/multiarch': ['1.0'],
  'samples/arm64-only': ['1.0', 'arm64-image'],
  'samples/docker-v2': ['1.0'],
  'samples/signed': ['1.0'],
  'samples/auto': ['1.0'],
  'samples/many-tags': Array.from({ length: 1500 }, (_, i) => `t${String(i + 1).padStart(4, '0')}`),
};

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

describe('emulator --seed', function () {
  this.timeout(240_000);
  let emulator: EmulatorHandle;
  let authorization: string;
  let client: OciClient;
  const seedLog: string[] = [];

  before(async () => {
    emulator = await startEmulator({ seed: true, log: (line) => seedLog.push(line) });
    authorization = `Basic ${Buffer.from(`${emulator.username}:${emulator.password}`).toString('base64')}`;
    client = new OciClient({ baseUrl: emulator.url, authorization });
  });

  after(async () => {
    if (emulator) {
      await emulator.stop();
      await rm(emulator.dataDir, { recursive: true, force: true });
    }
  });

  async function get(path: string, accept = 'application/json'): Promise<{ status: number; headers: Headers; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(new URL(path, emulator.url), { headers: { Authorization: authorization, Accept: accept } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  }

  /** Follows `Link: <…>; rel="next"` until the listing ends. */
  async function listAll<T>(path: string, field: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let pages = 0; next && pages < 100; pages++) {
      const page = await get(next);
      assert.equal(page.status, 200, `GET ${next}`);
      items.push(...(page.json[field] as T[]));
      next = /<([^>]+)>;\s*rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    return items;
  }

  async function manifest(repo: string, reference: string): Promise<{ mediaType: string; digest: string; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const got = await client.getManifest(repo, reference);
    return { mediaType: got.mediaType, digest: got.digest, json: JSON.parse(got.body.toString('utf8')) };
  }

  async function configOf(repo: string, reference: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const image = await manifest(repo, reference);
    return JSON.parse((await client.getBlob(repo, image.json.config.digest)).toString('utf8'));
  }

  function platforms(index: { manifests: Array<{ platform?: Platform }> }): string[] {
    return index.manifests.map((m) => [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'));
  }

  it('logs one line per repository, with its time', () => {
    for (const repo of Object.keys(SAMPLE_TAGS)) {
      assert.ok(seedLog.some((line) => line.includes(`seed: ${repo}:`) && /in \d+\.\d s$/.test(line)), `log line of ${repo}`);
    }
  });

  it('lists every sample repository in the ACR catalog', async () => {
    const repositories = await listAll<string>('/acr/v1/_catalog?n=100', 'repositories');
    for (const repo of Object.keys(SAMPLE_TAGS)) {
      assert.ok(repositories.includes(repo), `${repo} in ${repositories.join(', ')}`);
    }
  });

  it('has every tag, in /v2/ and in the ACR tag listing (1,500 of them across pages)', async () => {
    for (const [repo, tags] of Object.entries(SAMPLE_TAGS)) {
      const v2 = await get(`/v2/${repo}/tags/list?n=2000`);
      assert.equal(v2.status, 200, repo);
      const acr = await listAll<{ name: string; digest: string }>(`/acr/v1/${repo}/_tags?n=${repo === 'samples/many-tags' ? 100 : 50}`, 'tags');
      for (const tag of tags) {
        assert.ok(v2.json.tags.includes(tag), `${repo}:${tag} in /v2/`);
      }
      assert.deepEqual(acr.map((t) => t.name).sort(), [...tags].sort(), `${repo} in /acr/v1/`);
    }
  });

  it('samples/hello: three distinct linux/amd64 OCI images, latest is 2.0 and the newest, a few MB of real layers', async () => {
    const digests = new Map<string, string>();
    for (const tag of SAMPLE_TAGS['samples/hello']) {
      const image = await manifest('samples/hello', tag);
      assert.equal(image.mediaType, MEDIA_TYPES.ociManifest);
      digests.set(tag, image.digest);
    }
    assert.equal(new Set([digests.get('1.0'), digests.get('1.1'), digests.get('2.0')]).size, 3);
    assert.equal(digests.get('latest'), digests.get('2.0'));
    const tags = await listAll<{ name: string; lastUpdateTime: string }>('/acr/v1/samples/hello/_tags', 'tags');
    const time = (name: string) => Date.parse(tags.find((t) => t.name === name)?.lastUpdateTime ?? '');
    assert.ok(time('1.0') <= time('1.1') && time('1.1') <= time('2.0') && time('2.0') <= time('latest'), 'pushed oldest first');

    const image = await manifest('samples/hello', '1.0');
    const config = await configOf('samples/hello', '1.0');
    assert.equal(config.os, 'linux');
    assert.equal(config.architecture, 'amd64');
    const layers = image.json.layers as Array<{ digest: string; size: number; mediaType: string }>;
    assert.ok(layers.length >= 2 && layers.length <= 3, `${layers.length} layers`);
    const total = layers.reduce((sum, layer) => sum + layer.size, 0);
    assert.ok(total > 2 * 1024 * 1024, `${total} bytes of layers`);
    // Pulled back through the emulator, each layer gunzips to the tar its diff_id names.
    for (const [i, layer] of layers.entries()) {
      const tarBytes = gunzipSync(await client.getBlob('samples/hello', layer.digest));
      assert.equal(`sha256:${createHash('sha256').update(tarBytes).digest('hex')}`, config.rootfs.diff_ids[i]);
    }
  });

  it('samples/multiarch: an OCI index of linux/amd64 and linux/arm64 images', async () => {
    const index = await manifest('samples/multiarch', '1.0');
    assert.equal(index.mediaType, MEDIA_TYPES.ociIndex);
    assert.deepEqual(platforms(index.json).sort(), ['linux/amd64', 'linux/arm64']);
    for (const entry of index.json.manifests as Array<{ digest: string; platform: Platform }>) {
      const config = await configOf('samples/multiarch', entry.digest);
      assert.equal(config.architecture, entry.platform.architecture);
    }
  });

  it('samples/arm64-only: an index with no linux/amd64, and a plain linux/arm64 image', async () => {
    const index = await manifest('samples/arm64-only', '1.0');
    assert.equal(index.mediaType, MEDIA_TYPES.ociIndex);
    assert.deepEqual(platforms(index.json).sort(), ['linux/arm/v7', 'linux/arm64']);
    const image = await manifest('samples/arm64-only', 'arm64-image');
    assert.equal(image.mediaType, MEDIA_TYPES.ociManifest);
    assert.equal((await configOf('samples/arm64-only', 'arm64-image')).architecture, 'arm64');
  });

  it('samples/docker-v2: a Docker v2 schema 2 linux/amd64 image', async () => {
    const image = await manifest('samples/docker-v2', '1.0');
    assert.equal(image.mediaType, MEDIA_TYPES.dockerManifest);
    assert.equal(image.json.config.mediaType, MEDIA_TYPES.dockerImageConfig);
    assert.equal(image.json.layers[0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip');
    assert.equal((await configOf('samples/docker-v2', '1.0')).architecture, 'amd64');
  });

  it('samples/signed: the signature is a referrer of 1.0, also under the referrers fallback tag', async () => {
    const subject = await manifest('samples/signed', '1.0');
    const referrers = await get(`/v2/samples/signed/referrers/${subject.digest}`, MEDIA_TYPES.ociIndex);
    assert.equal(referrers.status, 200);
    const signatures = (referrers.json.manifests as Array<{ artifactType?: string; digest: string }>).filter((m) => m.artifactType === NOTARY);
    assert.equal(signatures.length, 1);
    const signature = await manifest('samples/signed', signatures[0].digest);
    assert.equal(signature.json.artifactType, NOTARY);
    assert.equal(signature.json.config.mediaType, MEDIA_TYPES.ociEmptyConfig);
    assert.equal(signature.json.config.size, 2);
    assert.equal(signature.json.layers[0].mediaType, 'application/jose+json');
    assert.equal(signature.json.subject.digest, subject.digest);
    const envelope = JSON.parse((await client.getBlob('samples/signed', signature.json.layers[0].digest)).toString('utf8'));
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8'));
    assert.equal(payload.targetArtifact.digest, subject.digest);

    // The raw registry underneath (no referrers API) lists it through the tag schema.
    const raw = new OciClient({ baseUrl: emulator.upstreamUrl });
    const fallback = JSON.parse((await raw.getManifest('samples/signed', referrersTagFor(subject.digest))).body.toString('utf8'));
    assert.ok(fallback.manifests.some((m: { digest: string; artifactType?: string }) => m.digest === signature.digest && m.artifactType === NOTARY));
  });

  it('samples/auto: Active, and the image pushed before that was not converted', async () => {
    const settings = await get('/acr/v1/samples/auto/_streaming');
    assert.equal(settings.status, 200);
    assert.equal(settings.json.convertPushedImages, true);
    const image = await manifest('samples/auto', '1.0');
    const operation = await get(`/acr/v1/samples/auto/_streaming/${image.digest}`);
    assert.equal(operation.status, 404, 'no conversion of the pre-existing image');
  });

  it('samples/many-tags: 1,500 distinct small manifests', async () => {
    const manifests = await listAll<{ digest: string; tags?: string[] }>('/acr/v1/samples/many-tags/_manifests?n=1000', 'manifests');
    const tagged = manifests.filter((m) => (m.tags ?? []).length > 0);
    assert.equal(tagged.length, 1500);
    assert.ok(tagged.every((m) => m.tags?.length === 1));
  });

  it('does nothing when seeded again on the same data folder', async () => {
    const markerPath = join(emulator.dataDir, SEED_MARKER_FILE);
    const markerBefore = await readFile(markerPath, 'utf8');
    const latestBefore = (await get('/acr/v1/samples/hello/_tags/latest')).json.tag;
    const lines: string[] = [];
    const started = performance.now();
    await seedEmulator({ url: emulator.url, username: emulator.username, password: emulator.password, dataDir: emulator.dataDir }, (line) => lines.push(line));
    assert.ok(performance.now() - started < 1000, 'returned at once');
    assert.match(lines.join('\n'), /already seeded/);
    assert.equal(await readFile(markerPath, 'utf8'), markerBefore);
    assert.deepEqual((await get('/acr/v1/samples/hello/_tags/latest')).json.tag, latestBefore);
  });
});
