/** ACR's metadata API on the emulator: catalog, repository, tags and manifests, with paging. */
import assert from 'node:assert/strict';
import { call, type LooseJson } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { OCI_CONFIG, OCI_MANIFEST, pushBlob, pushImage, pushIndex, pushManifest, type Pushed, type Target } from './support/registryPush';

/** Distinct tiny manifests (one shared config), one per tag. */
async function pushTagged(target: Target, repo: string, tags: string[], concurrency = 8): Promise<Map<string, Pushed>> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const configDigest = await pushBlob(target, repo, config);
  const pushed = new Map<string, Pushed>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tags.length) {
        const tag = tags[next++];
        const manifest = {
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
          layers: [],
          annotations: { tag },
        };
        pushed.set(tag, await pushManifest(target, repo, tag, manifest, OCI_MANIFEST));
      }
    }),
  );
  return pushed;
}

async function followLinks(target: Target, first: string, key: string): Promise<{ items: LooseJson[]; pages: number; links: string[] }> {
  const items: LooseJson[] = [];
  const links: string[] = [];
  let path: string | undefined = first;
  let pages = 0;
  while (path) {
    const reply: { status: number; headers: Headers; body: LooseJson } = await call(target, 'GET', path);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    items.push(...reply.body[key]);
    pages++;
    const link = reply.headers.get('link');
    if (link) {
      links.push(link);
      const match = /^<([^>]+)>; rel="next"$/.exec(link);
      assert.ok(match, `Link header shape: ${link}`);
      path = match[1];
    } else {
      path = undefined;
    }
  }
  return { items, pages, links };
}

describe('emulator: ACR listings', function () {
  this.timeout(60_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const tagNames = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);

  before(async () => {
    emu = await startTestEmulator({ conversionBytesPerSecond: 0 });
    await pushTagged(emu, 'list/app', tagNames, 1);
    for (const name of ['list/b', 'list/c', 'list/d', 'zeta']) {
      await pushImage(emu, name, 'v1', { layerSizes: [100] });
    }
  });
  after(async () => {
    await emu?.stop();
  });

  it('pages the catalog with ACR Link headers', async () => {
    const { items, pages, links } = await followLinks(emu, '/acr/v1/_catalog?n=2', 'repositories');
    assert.deepEqual(items, ['list/app', 'list/b', 'list/c', 'list/d', 'zeta']);
    assert.equal(pages, 3);
    assert.equal(links[0], '</acr/v1/_catalog?last=list%2Fb&n=2>; rel="next"');
    assert.equal((await call(emu, 'GET', '/acr/v1/_catalog?n=0')).status, 400);
  });

  it('pages tags by name, and by time with orderby', async () => {
    const byName = await followLinks(emu, '/acr/v1/list/app/_tags?n=10', 'tags');
    assert.deepEqual(byName.items.map((t) => t.name), tagNames);
    assert.equal(byName.pages, 3);
    assert.equal(byName.links[0], '</acr/v1/list/app/_tags?last=t09&n=10>; rel="next"');
    const tag = byName.items[0];
    assert.deepEqual(Object.keys(tag), ['name', 'digest', 'createdTime', 'lastUpdateTime', 'signed', 'changeableAttributes']);
    assert.equal(tag.signed, false);
    assert.deepEqual(tag.changeableAttributes, { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true });

    const newest = await followLinks(emu, '/acr/v1/list/app/_tags?n=7&orderby=timedesc', 'tags');
    assert.deepEqual(newest.items.map((t) => t.name), [...tagNames].reverse());
    assert.match(newest.links[0], /&orderby=timedesc>; rel="next"$/);
    const oldest = await call(emu, 'GET', '/acr/v1/list/app/_tags?n=3&orderby=timeasc');
    assert.deepEqual(oldest.body.tags.map((t: { name: string }) => t.name), ['t00', 't01', 't02']);
  });

  it('describes a repository, a tag and a manifest', async () => {
    const repository = await call(emu, 'GET', '/acr/v1/list/app');
    assert.equal(repository.status, 200);
    assert.equal(repository.body.registry, emu.loginServer);
    assert.equal(repository.body.imageName, 'list/app');
    assert.equal(repository.body.tagCount, 25);
    assert.equal(repository.body.manifestCount, 25);
    assert.deepEqual(repository.body.changeableAttributes, { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true, teleportEnabled: false });
    assert.ok(Date.parse(repository.body.createdTime) <= Date.parse(repository.body.lastUpdateTime));

    const tag = await call(emu, 'GET', '/acr/v1/list/app/_tags/t03');
    assert.deepEqual(Object.keys(tag.body), ['registry', 'imageName', 'tag']);
    assert.equal(tag.body.tag.name, 't03');
    const manifest = await call(emu, 'GET', `/acr/v1/list/app/_manifests/${tag.body.tag.digest}`);
    assert.equal(manifest.status, 200);
    assert.equal(manifest.body.manifest.digest, tag.body.tag.digest);
    assert.deepEqual(manifest.body.manifest.tags, ['t03']);
    assert.equal(manifest.body.manifest.architecture, 'amd64');
    assert.equal(manifest.body.manifest.os, 'linux');
    assert.equal(manifest.body.manifest.mediaType, OCI_MANIFEST);
    assert.equal(manifest.body.manifest.configMediaType, OCI_CONFIG);

    assert.equal((await call(emu, 'GET', '/acr/v1/list/app/_tags/nope')).body.errors[0].code, 'TAG_UNKNOWN');
    assert.equal((await call(emu, 'GET', `/acr/v1/list/app/_manifests/sha256:${'1'.repeat(64)}`)).body.errors[0].code, 'MANIFEST_UNKNOWN');
    const unknown = await call(emu, 'GET', '/acr/v1/no/such/_tags');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errors[0].code, 'NAME_UNKNOWN');
  });

  it('pages manifests, with index references', async () => {
    const amd64 = await pushImage(emu, 'list/multi', undefined, { layerSizes: [100] });
    const arm64 = await pushImage(emu, 'list/multi', undefined, { architecture: 'arm64', layerSizes: [100] });
    const index = await pushIndex(emu, 'list/multi', 'v1', [
      { pushed: amd64, os: 'linux', architecture: 'amd64' },
      { pushed: arm64, os: 'linux', architecture: 'arm64' },
    ]);
    const { items, pages } = await followLinks(emu, '/acr/v1/list/multi/_manifests?n=2', 'manifests');
    assert.equal(pages, 2);
    assert.equal(items.length, 3);
    const listed = items.find((m) => m.digest === index.digest);
    assert.deepEqual(listed.tags, ['v1']);
    assert.equal(listed.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(listed.references, [
      { digest: amd64.digest, architecture: 'amd64', os: 'linux' },
      { digest: arm64.digest, architecture: 'arm64', os: 'linux' },
    ]);
    assert.equal(items.find((m) => m.digest === arm64.digest).architecture, 'arm64');
    const newest = await call(emu, 'GET', '/acr/v1/list/multi/_manifests?n=1&orderby=timedesc');
    assert.equal(newest.body.manifests[0].digest, index.digest);
  });

  it('deletes a tag, a manifest and a repository through /acr/v1', async () => {
    const image = await pushImage(emu, 'list/gone', 'v1', { layerSizes: [100] });
    await pushImage(emu, 'list/gone', 'v2', { layerSizes: [100] });
    assert.equal((await call(emu, 'DELETE', '/acr/v1/list/gone/_tags/v2')).status, 202);
    assert.deepEqual((await call(emu, 'GET', '/acr/v1/list/gone/_tags')).body.tags.map((t: { name: string }) => t.name), ['v1']);
    assert.equal((await call(emu, 'DELETE', `/acr/v1/list/gone/_manifests/${image.digest}`)).status, 202);
    assert.deepEqual((await call(emu, 'GET', '/acr/v1/list/gone/_tags')).body.tags, []);
    const removed = await call(emu, 'DELETE', '/acr/v1/list/gone');
    assert.equal(removed.status, 202);
    assert.equal((await call(emu, 'GET', '/acr/v1/list/gone')).status, 404);
    assert.ok(!(await call(emu, 'GET', '/acr/v1/_catalog')).body.repositories.includes('list/gone'));
  });

  it('lists a repository of 1,500 tags quickly, and sees a new push at once', async () => {
    const tags = Array.from({ length: 1500 }, (_, i) => `v${String(i).padStart(4, '0')}`);
    await pushTagged(emu, 'list/many', tags, 16);
    let started = performance.now();
    const { items, pages } = await followLinks(emu, '/acr/v1/list/many/_tags?n=100&orderby=timedesc', 'tags');
    const cold = performance.now() - started;
    assert.equal(items.length, 1500);
    assert.equal(pages, 15);
    started = performance.now();
    const page = await call(emu, 'GET', '/acr/v1/list/many/_tags?n=100&last=v0700');
    const warm = performance.now() - started;
    assert.equal(page.body.tags[0].name, 'v0701');
    assert.ok(cold < 3000, `15 pages of 1,500 tags took ${cold.toFixed(0)} ms`);
    assert.ok(warm < 200, `a cached page took ${warm.toFixed(0)} ms`);

    await pushTagged(emu, 'list/many', ['zz-latest'], 1);
    const latest = await call(emu, 'GET', '/acr/v1/list/many/_tags?n=1&orderby=timedesc');
    assert.equal(latest.body.tags[0].name, 'zz-latest');
    assert.equal((await call(emu, 'GET', '/acr/v1/list/many')).body.tagCount, 1501);
  });
});
