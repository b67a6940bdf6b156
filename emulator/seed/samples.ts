/**
 * The sample content of `--seed`, one entry per repository under `samples/`. Each entry pushes
 * its images and says in a few words what it pushed. Order matters only within an entry (tags
 * pushed oldest first, so `latest` is the newest; auto-conversion turned on after the push).
 */
import type { Platform } from '../../src/core/models';
import { referrersTagFor, sha256Digest } from '../oci/digest';
import {
  buildArtifact,
  buildImage,
  buildIndex,
  buildLayer,
  buildReferrersIndex,
  referrerDescriptor,
  type BuiltImage,
  type BuiltLayer,
  type FileEntry,
  type ImageSpec,
} from '../oci/imageBuilder';
import type { OciClient } from '../oci/ociClient';
import { JOSE_MEDIA_TYPE, NOTARY_SIGNATURE_ARTIFACT_TYPE } from '../oci/ociMediaTypes';
import { pushArtifact, pushImage, pushIndex, pushManifest } from '../oci/pushImage';
import { FALLBACK_MARKER_ANNOTATION } from '../registry/fallbackTags';
import { forEachLimited } from './limit';
import type { SampleFiles } from './sampleFiles';
import { getStreamingSettings, setAutoConversion } from './streamingSettings';

export interface SeedContext {
  client: OciClient;
  files: SampleFiles;
  /** Emulator origin and `Basic …` header, for the `/acr/v1/` calls. */
  baseUrl: string;
  authorization: string;
  /** Layers shared by several images are built once per run. */
  layers: Map<string, Promise<BuiltLayer>>;
}

export interface SampleRepository {
  name: string;
  /** Pushes the repository's content; resolves to a short summary for the log. */
  seed(context: SeedContext): Promise<string>;
}

export const MANY_TAGS_COUNT = 1500;
const MANY_TAGS_CONCURRENCY = 8;
const AMD64: Platform = { os: 'linux', architecture: 'amd64' };
const ARM64: Platform = { os: 'linux', architecture: 'arm64' };
const ARM_V7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
const MB = 1024 * 1024;
const SIGNING_TIME = '2024-01-01T00:00:00Z';

function cachedLayer(context: SeedContext, key: string, files: () => Promise<FileEntry[]>, createdBy: string): Promise<BuiltLayer> {
  let layer = context.layers.get(key);
  if (!layer) {
    layer = files().then((entries) => buildLayer({ files: entries, createdBy }));
    context.layers.set(key, layer);
  }
  return layer;
}

function text(path: string, content: string): FileEntry {
  return { path, content: Buffer.from(content, 'utf8') };
}

/** OS release data, every license text and the tz database: ~0.4 MB compressed. */
function baseLayer(context: SeedContext): Promise<BuiltLayer> {
  return cachedLayer(
    context,
    'base',
    async () => [
      text('etc/sample-image', 'Sample image of the ACR artifact streaming emulator.\n'),
      ...(await context.files.entries([['/etc/os-release', 'etc/os-release']])),
      ...(await context.files.tree('/usr/share/common-licenses', 'usr/share/common-licenses')),
      ...(await context.files.tree('/usr/share/zoneinfo', 'usr/share/zoneinfo')),
    ],
    'ADD rootfs / # os-release, licenses, tzdata',
  );
}

/** Half of the Debian package docs (much of it gzip'd already): ~2.5 MB compressed. */
function docsLayer(context: SeedContext, part: 0 | 1): Promise<BuiltLayer> {
  return cachedLayer(
    context,
    `docs-${part}`,
    async () => {
      const docs = await context.files.debianDocs(part, 2, 3 * MB);
      return docs.length > 0 ? docs : [text('usr/share/doc/README', 'No package docs on the seeding host.\n')];
    },
    'COPY usr/share/doc /usr/share/doc',
  );
}

function appLayer(context: SeedContext, version: string): Promise<BuiltLayer> {
  return cachedLayer(
    context,
    `app-${version}`,
    async () => [
      text('app/VERSION', `${version}\n`),
      ...(await context.files.repositoryFile('README.md', 'app/README.md')),
      ...(await context.files.repositoryFile('LICENSE', 'app/LICENSE')),
    ],
    `COPY app /app # version ${version}`,
  );
}

/** A small layer: os-release and two license texts. */
function smallLayer(context: SeedContext): Promise<BuiltLayer> {
  return cachedLayer(
    context,
    'small',
    async () => [
      text('etc/sample-image', 'Small sample image of the ACR artifact streaming emulator.\n'),
      ...(await context.files.entries([
        ['/etc/os-release', 'etc/os-release'],
        ['/usr/share/common-licenses/Apache-2.0', 'usr/share/common-licenses/Apache-2.0'],
        ['/usr/share/common-licenses/BSD', 'usr/share/common-licenses/BSD'],
      ])),
    ],
    'ADD rootfs /',
  );
}

/** A per-platform layer, so each platform's image differs in content, not only in config. */
function platformLayer(context: SeedContext, platform: Platform): Promise<BuiltLayer> {
  const name = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
  const license = { amd64: 'GPL-2', arm64: 'GPL-3', arm: 'LGPL-2.1' }[platform.architecture] ?? 'MPL-2.0';
  return cachedLayer(
    context,
    `platform-${name}`,
    async () => [
      text('etc/sample-platform', `${name}\n`),
      ...(await context.files.entries([[`/usr/share/common-licenses/${license}`, `usr/share/licenses/platform/${license}`]])),
    ],
    `COPY platform /etc # ${name}`,
  );
}

async function platformImage(context: SeedContext, platform: Platform, extra: Partial<ImageSpec> = {}): Promise<BuiltImage> {
  return buildImage({
    platform,
    layers: [await smallLayer(context), await platformLayer(context, platform)],
    cmd: ['/bin/sh', '-c', 'cat /etc/sample-platform'],
    ...extra,
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

const hello: SampleRepository = {
  name: 'samples/hello',
  async seed(context) {
    const versions: Array<{ tag: string; docs: 0 | 1; created: string }> = [
      { tag: '1.0', docs: 0, created: '2024-01-01T00:00:00Z' },
      { tag: '1.1', docs: 0, created: '2024-02-01T00:00:00Z' },
      { tag: '2.0', docs: 1, created: '2024-03-01T00:00:00Z' },
    ];
    const layerBytes = new Map<string, number>();
    let newest: BuiltImage | undefined;
    for (const version of versions) {
      const image = await buildImage({
        platform: AMD64,
        layers: [await baseLayer(context), await docsLayer(context, version.docs), await appLayer(context, version.tag)],
        cmd: ['/bin/sh', '-c', 'cat /app/VERSION'],
        workingDir: '/app',
        created: version.created,
        labels: { 'org.opencontainers.image.title': 'hello', 'org.opencontainers.image.version': version.tag },
        annotations: { 'org.opencontainers.image.version': version.tag, 'org.opencontainers.image.created': version.created },
      });
      await pushImage(context.client, this.name, image, version.tag);
      image.layers.forEach((layer) => layerBytes.set(layer.digest, layer.size));
      newest = image;
    }
    await pushManifest(context.client, this.name, (newest as BuiltImage).manifest, 'latest');
    const total = [...layerBytes.values()].reduce((sum, size) => sum + size, 0);
    return `tags 1.0, 1.1, 2.0, latest (3 manifests, ${megabytes(total)} of layers)`;
  },
};

const multiarch: SampleRepository = {
  name: 'samples/multiarch',
  async seed(context) {
    const images = [await platformImage(context, AMD64), await platformImage(context, ARM64)];
    await pushIndex(context.client, this.name, images, buildIndex(images), '1.0');
    return 'tag 1.0 (OCI index: linux/amd64, linux/arm64)';
  },
};

const arm64Only: SampleRepository = {
  name: 'samples/arm64-only',
  async seed(context) {
    const arm64 = await platformImage(context, ARM64);
    const images = [arm64, await platformImage(context, ARM_V7)];
    await pushIndex(context.client, this.name, images, buildIndex(images), '1.0');
    await pushImage(context.client, this.name, arm64, 'arm64-image');
    return 'tag 1.0 (OCI index: linux/arm64, linux/arm/v7), tag arm64-image (linux/arm64 image)';
  },
};

const dockerV2: SampleRepository = {
  name: 'samples/docker-v2',
  async seed(context) {
    const image = await platformImage(context, AMD64, { format: 'docker' });
    await pushImage(context.client, this.name, image, '1.0');
    return 'tag 1.0 (Docker v2 schema 2, linux/amd64)';
  },
};

/** A Notary-like JWS envelope over the subject. Not a real signature: the "signature" is a hash. */
function signatureEnvelope(subject: { mediaType: string; digest: string; size: number }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const payload = encode({ targetArtifact: subject });
  const protectedHeader = encode({
    alg: 'PS256',
    crit: ['io.cncf.notary.signingScheme'],
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': SIGNING_TIME,
  });
  const signature = Buffer.from(sha256Digest(`${protectedHeader}.${payload}`), 'utf8').toString('base64url');
  return JSON.stringify({
    payload,
    protected: protectedHeader,
    header: { 'io.cncf.notary.signingAgent': 'acr-streaming emulator seed (not a real signature)', x5chain: [] },
    signature,
  });
}

const signed: SampleRepository = {
  name: 'samples/signed',
  async seed(context) {
    const image = await platformImage(context, AMD64, { labels: { 'org.opencontainers.image.title': 'signed' } });
    const subject = await pushImage(context.client, this.name, image, '1.0');
    const signature = buildArtifact({
      artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE,
      subject,
      blobs: [{ mediaType: JOSE_MEDIA_TYPE, content: signatureEnvelope(subject) }],
      annotations: {
        'io.cncf.notary.x509chain.thumbprint#S256': JSON.stringify([sha256Digest('acr-streaming emulator seed').slice(7)]),
        'org.opencontainers.image.created': SIGNING_TIME,
      },
    });
    await pushArtifact(context.client, this.name, signature);
    // OCI 1.1 referrers tag schema: lets a client of the raw registry (no referrers API) list it
    // too. The marker makes it the emulator's own bookkeeping: hidden from ACR listings and
    // replaced when the emulator rewrites the tag.
    const fallbackIndex = buildReferrersIndex([referrerDescriptor(signature)], { [FALLBACK_MARKER_ANNOTATION]: subject.digest });
    await pushManifest(context.client, this.name, fallbackIndex, referrersTagFor(subject.digest));
    return `tag 1.0 with a Notary-style signature ${signature.manifest.digest.slice(0, 19)}…`;
  },
};

const auto: SampleRepository = {
  name: 'samples/auto',
  async seed(context) {
    const image = await platformImage(context, AMD64, { labels: { 'org.opencontainers.image.title': 'auto' } });
    // Re-pushing into an Active repository would start a conversion; ACR does not convert
    // existing images when auto-conversion is turned on, so the sample must not either.
    // (The settings of a repository that does not exist yet are a 404, hence the order.)
    const existing = await context.client.manifestDigest(this.name, '1.0');
    if (existing !== undefined) {
      const before = await getStreamingSettings(context.baseUrl, context.authorization, this.name);
      if (before.convertPushedImages && existing === image.manifest.digest) {
        return 'tag 1.0 already present; auto-conversion already on';
      }
      if (before.convertPushedImages) {
        await setAutoConversion(context.baseUrl, context.authorization, this.name, false);
      }
    }
    await pushImage(context.client, this.name, image, '1.0');
    await setAutoConversion(context.baseUrl, context.authorization, this.name, true);
    return 'tag 1.0, then auto-conversion on (Active)';
  },
};

export function manyTagName(index: number): string {
  return `t${String(index).padStart(4, '0')}`;
}

const manyTags: SampleRepository = {
  name: 'samples/many-tags',
  async seed(context) {
    const layers = [await smallLayer(context)];
    const tagged = (tag: string) => buildImage({ platform: AMD64, layers, annotations: { 'org.opencontainers.image.version': tag } });
    const tags = Array.from({ length: MANY_TAGS_COUNT }, (_, i) => manyTagName(i + 1));
    // The first push uploads the shared blobs; the rest are one annotation apart, so every tag
    // is its own manifest, and only manifests travel.
    await pushImage(context.client, this.name, await tagged(tags[0]), tags[0]);
    await forEachLimited(tags.slice(1), MANY_TAGS_CONCURRENCY, async (tag) => {
      await pushManifest(context.client, this.name, (await tagged(tag)).manifest, tag);
    });
    return `${MANY_TAGS_COUNT} tags ${tags[0]}…${tags[tags.length - 1]} (${MANY_TAGS_COUNT} manifests)`;
  },
};

export const SAMPLE_REPOSITORIES: readonly SampleRepository[] = [hello, multiarch, arm64Only, dockerV2, signed, auto, manyTags];
