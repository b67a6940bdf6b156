import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MEDIA_TYPES } from '../../../src/core/mediaTypes';
import { referrersTagFor } from '../../../emulator/oci/digest';
import {
  buildArtifact,
  buildImage,
  buildIndex,
  buildLayer,
  buildReferrersIndex,
  referrerDescriptor,
  type BuiltBlob,
  type FileEntry,
} from '../../../emulator/oci/imageBuilder';
import { LAYER_MEDIA_TYPES } from '../../../emulator/oci/ociMediaTypes';
import { LAYER_MTIME } from '../../../emulator/oci/tarLayer';
import { readLayer } from './tarReader';

const ROOT = join(__dirname, '..', '..', '..');
/** Real files of this repository, so the bytes are not synthetic. */
function realFiles(): FileEntry[] {
  return [
    { path: 'app/package.json', content: readFileSync(join(ROOT, 'package.json')) },
    { path: 'app/src/core/mediaTypes.ts', content: readFileSync(join(ROOT, 'src/core/mediaTypes.ts')) },
    { path: '/etc/hello.txt', content: Buffer.from('hello\n') },
    { path: 'usr/local/bin/run', content: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  ];
}

function sha256(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function assertAddressed(blob: BuiltBlob): void {
  assert.equal(blob.digest, sha256(blob.data), `digest of ${blob.mediaType}`);
  assert.equal(blob.size, blob.data.length, `size of ${blob.mediaType}`);
}

function json(blob: BuiltBlob): Record<string, unknown> {
  return JSON.parse(blob.data.toString('utf8')) as Record<string, unknown>;
}

describe('imageBuilder', () => {
  it('builds the same bytes and digests from the same files, whatever their order', async () => {
    const files = realFiles();
    const a = await buildImage({ layers: [{ files }, { files: files.slice(0, 1).map((f) => ({ ...f, path: 'copy/' + f.path })) }] });
    const b = await buildImage({ layers: [{ files: [...files].reverse() }, { files: files.slice(0, 1).map((f) => ({ ...f, path: 'copy/' + f.path })) }] });
    assert.equal(a.manifest.digest, b.manifest.digest);
    assert.equal(a.config.digest, b.config.digest);
    assert.deepEqual(a.layers.map((l) => l.digest), b.layers.map((l) => l.digest));
    assert.ok(a.layers[0].data.equals(b.layers[0].data));
  });

  it('changes the digest when one byte of content changes', async () => {
    const files = realFiles();
    const changed = files.map((f, i) => (i === 2 ? { ...f, content: Buffer.from('hellO\n') } : f));
    const a = await buildLayer({ files });
    const b = await buildLayer({ files: changed });
    assert.notEqual(a.digest, b.digest);
    assert.notEqual(a.diffId, b.diffId);
  });

  it('gives every blob a digest and size that match its bytes', async () => {
    const image = await buildImage({ layers: [{ files: realFiles() }] });
    [image.config, image.manifest, ...image.layers].forEach(assertAddressed);
    const manifest = json(image.manifest) as { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> };
    assert.deepEqual(manifest.config, { mediaType: MEDIA_TYPES.ociImageConfig, digest: image.config.digest, size: image.config.size });
    assert.deepEqual(manifest.layers.map((l) => [l.digest, l.size]), image.layers.map((l) => [l.digest, l.data.length]));
  });

  it('writes diff_ids as the sha256 of the uncompressed tar', async () => {
    const image = await buildImage({ layers: [{ files: realFiles() }, { files: [{ path: 'x/y', content: Buffer.from('y') }] }] });
    const config = json(image.config) as { rootfs: { type: string; diff_ids: string[] }; history: unknown[] };
    assert.equal(config.rootfs.type, 'layers');
    assert.deepEqual(config.rootfs.diff_ids, image.layers.map((layer) => sha256(gunzipSync(layer.data))));
    assert.notEqual(config.rootfs.diff_ids[0], image.layers[0].digest, 'diff_id is of the tar, not of the gzip');
    assert.equal(config.history.length, 2);
  });

  it('writes tar entries that read back with their content, parents first and sorted', async () => {
    const files = realFiles();
    const layer = await buildLayer({ files });
    const entries = await readLayer(layer.data);
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, [...names].sort());
    for (const dir of ['app/', 'app/src/', 'app/src/core/', 'etc/', 'usr/', 'usr/local/', 'usr/local/bin/']) {
      const entry = entries.find((e) => e.name === dir);
      assert.ok(entry, `directory ${dir}`);
      assert.equal(entry.type, 'directory');
      assert.ok(names.indexOf(dir) < names.findIndex((n) => n.startsWith(dir) && n !== dir));
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.ok(byName.get('app/package.json')?.content.equals(files[0].content));
    assert.ok(byName.get('app/src/core/mediaTypes.ts')?.content.equals(files[1].content));
    assert.equal(byName.get('etc/hello.txt')?.content.toString(), 'hello\n');
    assert.equal(byName.get('usr/local/bin/run')?.mode, 0o755);
    assert.equal(byName.get('etc/hello.txt')?.mode, 0o644);
    for (const entry of entries) {
      assert.equal(entry.mtime, LAYER_MTIME.getTime(), entry.name);
      assert.equal(entry.uid, 0);
      assert.equal(entry.gid, 0);
    }
    assert.deepEqual(layer.files, ['app/package.json', 'app/src/core/mediaTypes.ts', 'etc/hello.txt', 'usr/local/bin/run']);
  });

  it('rejects duplicate paths, paths that escape, and empty layers', async () => {
    await assert.rejects(buildLayer({ files: [{ path: 'a', content: Buffer.from('1') }, { path: '/a', content: Buffer.from('2') }] }), /Duplicate path/);
    await assert.rejects(buildLayer({ files: [{ path: '../etc/passwd', content: Buffer.from('1') }] }), /Invalid path/);
    await assert.rejects(buildLayer({ files: [{ path: 'a', content: Buffer.from('1') }, { path: 'a/b', content: Buffer.from('2') }] }), /both a file and a directory/);
    await assert.rejects(buildLayer({ files: [] }), /at least one file/);
  });

  it('writes an image config with platform, Cmd and history', async () => {
    const image = await buildImage({
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      layers: [{ files: realFiles(), createdBy: 'COPY app /app' }],
      cmd: ['/bin/sh', '-c', 'echo hi'],
      workingDir: '/app',
      labels: { a: 'b' },
      created: '2024-02-01T00:00:00Z',
    });
    const config = json(image.config) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(config.architecture, 'arm');
    assert.equal(config.variant, 'v7');
    assert.equal(config.os, 'linux');
    assert.equal(config.created, '2024-02-01T00:00:00Z');
    assert.deepEqual(config.config.Cmd, ['/bin/sh', '-c', 'echo hi']);
    assert.equal(config.config.WorkingDir, '/app');
    assert.deepEqual(config.config.Labels, { a: 'b' });
    assert.deepEqual(config.history, [{ created: '2024-02-01T00:00:00Z', created_by: 'COPY app /app' }]);
  });

  it('uses OCI media types for OCI images and Docker ones for Docker v2 images', async () => {
    const layer = await buildLayer({ files: realFiles() });
    const oci = await buildImage({ layers: [layer], annotations: { 'org.opencontainers.image.version': '1' } });
    const docker = await buildImage({ format: 'docker', layers: [layer], annotations: { ignored: 'yes' } });
    const ociManifest = json(oci.manifest) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const dockerManifest = json(docker.manifest) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(oci.manifest.mediaType, MEDIA_TYPES.ociManifest);
    assert.equal(ociManifest.mediaType, MEDIA_TYPES.ociManifest);
    assert.equal(ociManifest.config.mediaType, MEDIA_TYPES.ociImageConfig);
    assert.equal(ociManifest.layers[0].mediaType, LAYER_MEDIA_TYPES.ociGzip);
    assert.deepEqual(ociManifest.annotations, { 'org.opencontainers.image.version': '1' });
    assert.equal(docker.manifest.mediaType, MEDIA_TYPES.dockerManifest);
    assert.equal(dockerManifest.schemaVersion, 2);
    assert.equal(dockerManifest.mediaType, MEDIA_TYPES.dockerManifest);
    assert.equal(dockerManifest.config.mediaType, MEDIA_TYPES.dockerImageConfig);
    assert.equal(dockerManifest.layers[0].mediaType, LAYER_MEDIA_TYPES.dockerGzip);
    assert.equal(dockerManifest.annotations, undefined, 'Docker v2 manifests carry no annotations');
    // Same layer bytes under either media type.
    assert.equal(dockerManifest.layers[0].digest, ociManifest.layers[0].digest);
  });

  it('builds indexes whose entries carry each image platform', async () => {
    const layer = await buildLayer({ files: realFiles() });
    const amd64 = await buildImage({ layers: [layer] });
    const arm64 = await buildImage({ platform: { os: 'linux', architecture: 'arm64' }, layers: [layer] });
    const armV7 = await buildImage({ platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, layers: [layer] });
    assert.notEqual(amd64.manifest.digest, arm64.manifest.digest);
    const index = buildIndex([amd64, arm64, armV7]);
    assertAddressed(index);
    assert.equal(index.mediaType, MEDIA_TYPES.ociIndex);
    const parsed = json(index) as { mediaType: string; manifests: Array<{ mediaType: string; digest: string; size: number; platform: unknown }> };
    assert.equal(parsed.mediaType, MEDIA_TYPES.ociIndex);
    assert.deepEqual(parsed.manifests, [
      { mediaType: MEDIA_TYPES.ociManifest, digest: amd64.manifest.digest, size: amd64.manifest.size, platform: { architecture: 'amd64', os: 'linux' } },
      { mediaType: MEDIA_TYPES.ociManifest, digest: arm64.manifest.digest, size: arm64.manifest.size, platform: { architecture: 'arm64', os: 'linux' } },
      { mediaType: MEDIA_TYPES.ociManifest, digest: armV7.manifest.digest, size: armV7.manifest.size, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } },
    ]);
    const list = buildIndex([await buildImage({ format: 'docker', layers: [layer] })], { format: 'docker' });
    assert.equal(list.mediaType, MEDIA_TYPES.dockerManifestList);
    assert.equal((json(list) as { manifests: Array<{ mediaType: string }> }).manifests[0].mediaType, MEDIA_TYPES.dockerManifest);
  });

  it('builds a signature artifact with the empty config and a subject, and its referrers index', async () => {
    const image = await buildImage({ layers: [{ files: realFiles() }] });
    const subject = { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.size };
    const artifact = buildArtifact({
      artifactType: 'application/vnd.cncf.notary.signature',
      subject,
      blobs: [{ mediaType: 'application/jose+json', content: '{"payload":"x"}' }],
      annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
    });
    assert.equal(artifact.config.data.toString(), '{}');
    assert.equal(artifact.config.digest, 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    assert.equal(artifact.config.mediaType, MEDIA_TYPES.ociEmptyConfig);
    const manifest = json(artifact.manifest) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(manifest.artifactType, 'application/vnd.cncf.notary.signature');
    assert.deepEqual(manifest.subject, subject);
    assert.equal(manifest.layers[0].mediaType, 'application/jose+json');
    assert.equal(manifest.layers[0].digest, sha256(Buffer.from('{"payload":"x"}')));

    const descriptor = referrerDescriptor(artifact);
    assert.equal(descriptor.artifactType, 'application/vnd.cncf.notary.signature');
    assert.equal(descriptor.digest, artifact.manifest.digest);
    const index = json(buildReferrersIndex([descriptor])) as { manifests: unknown[]; annotations?: unknown };
    assert.deepEqual(index.manifests, [descriptor]);
    assert.equal(index.annotations, undefined);
    assert.equal(referrersTagFor(image.manifest.digest), `sha256-${image.manifest.digest.slice(7)}`);
  });
});
