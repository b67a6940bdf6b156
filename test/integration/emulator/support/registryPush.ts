/**
 * A tiny push helper for the emulator tests: builds images (gzip'd tar layers of given sizes,
 * a config naming the platform) and pushes them through the emulator's `/v2` with Basic auth.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Target {
  url: string;
  username: string;
  password: string;
}

export interface Pushed {
  digest: string;
  size: number;
  mediaType: string;
  body: Buffer;
}

export function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function basic(target: Target): string {
  return `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
}

/** A one-file tar (ustar header + content + padding + end blocks). */
export function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

export async function pushBlob(target: Target, repo: string, data: Buffer): Promise<string> {
  const digest = digestOf(data);
  const start = await fetch(`${target.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { Authorization: basic(target) } });
  await start.arrayBuffer();
  if (start.status !== 202) {
    throw new Error(`upload start answered ${start.status}`);
  }
  const location = new URL(start.headers.get('location') ?? '', target.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: new Uint8Array(data),
    headers: { Authorization: basic(target), 'Content-Type': 'application/octet-stream' },
  });
  const text = await put.text();
  if (put.status !== 201) {
    throw new Error(`blob PUT answered ${put.status}: ${text}`);
  }
  return digest;
}

export async function pushManifest(target: Target, repo: string, reference: string | undefined, manifest: object, mediaType: string): Promise<Pushed> {
  const body = Buffer.from(JSON.stringify(manifest));
  const digest = digestOf(body);
  const response = await fetch(`${target.url}/v2/${repo}/manifests/${reference ?? digest}`, {
    method: 'PUT',
    body: new Uint8Array(body),
    headers: { Authorization: basic(target), 'Content-Type': mediaType },
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`manifest PUT answered ${response.status}: ${text}`);
  }
  return { digest, size: body.length, mediaType, body };
}

export interface ImageOptions {
  os?: string;
  architecture?: string;
  /** Uncompressed size of each layer's file (random bytes, so gzip cannot shrink them). */
  layerSizes?: number[];
  configMediaType?: string;
  artifactType?: string;
  subject?: { mediaType: string; digest: string; size: number };
}

/** Pushes an image (its blobs, then its manifest by `tag` or by digest). */
export async function pushImage(target: Target, repo: string, tag: string | undefined, options: ImageOptions = {}): Promise<Pushed & { layers: string[] }> {
  const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
  for (const [i, size] of (options.layerSizes ?? [4096]).entries()) {
    const gz = gzipSync(tarOf(`file-${i}.bin`, randomBytes(size)), { level: 1 });
    layers.push({ mediaType: OCI_LAYER_GZIP, digest: await pushBlob(target, repo, gz), size: gz.length });
  }
  const config = Buffer.from(
    JSON.stringify({ architecture: options.architecture ?? 'amd64', os: options.os ?? 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }),
  );
  const configDigest = await pushBlob(target, repo, config);
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: { mediaType: options.configMediaType ?? OCI_CONFIG, digest: configDigest, size: config.length },
    layers,
    ...(options.subject ? { subject: options.subject } : {}),
  };
  const pushed = await pushManifest(target, repo, tag, manifest, OCI_MANIFEST);
  return { ...pushed, layers: layers.map((l) => l.digest) };
}

/** Pushes an OCI index over already pushed images. */
export async function pushIndex(target: Target, repo: string, tag: string, entries: Array<{ pushed: Pushed; os: string; architecture: string }>): Promise<Pushed> {
  return pushManifest(
    target,
    repo,
    tag,
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: entries.map((e) => ({ mediaType: e.pushed.mediaType, digest: e.pushed.digest, size: e.pushed.size, platform: { os: e.os, architecture: e.architecture } })),
    },
    OCI_INDEX,
  );
}

/** A signature-like artifact referring to `subject` (empty config: not runnable). */
export async function pushSignature(target: Target, repo: string, subject: Pushed): Promise<Pushed> {
  const configDigest = await pushBlob(target, repo, Buffer.from('{}'));
  const layer = Buffer.from('{"payload":"signature"}');
  const layerDigest = await pushBlob(target, repo, layer);
  return pushManifest(
    target,
    repo,
    undefined,
    {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.cncf.notary.signature',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: 2 },
      layers: [{ mediaType: 'application/jose+json', digest: layerDigest, size: layer.length }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    },
    OCI_MANIFEST,
  );
}
