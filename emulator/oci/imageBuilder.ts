/**
 * Builds real images in memory: gzip'd tar layers of real files, an image config per the
 * OCI/Docker image spec, and OCI or Docker v2 manifests, OCI indexes / Docker manifest lists,
 * artifacts with a `subject` (signatures) and OCI 1.1 referrers fallback indexes. Nothing is
 * random and nothing reads the clock, so equal input always gives equal digests.
 */
import type { Descriptor, Platform } from '../../src/core/models';
import { sha256Digest } from './digest';
import { EMPTY_JSON_CONTENT, LAYER_MEDIA_TYPES, MEDIA_TYPES } from './ociMediaTypes';
import { buildTar, gzipLayer, LAYER_MTIME, normaliseImagePath, type FileEntry } from './tarLayer';

export type { FileEntry } from './tarLayer';
export type { Platform } from '../../src/core/models';

export type ImageFormat = 'oci' | 'docker';

/** Content addressed bytes with the descriptor fields that point at them. */
export interface BuiltBlob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}

export interface BuiltLayer extends BuiltBlob {
  /** sha256 of the uncompressed tar: the config's `rootfs.diff_ids` entry. */
  diffId: string;
  /** Normalised paths of the files it holds (directories not included). */
  files: string[];
  /** The config history's `created_by` for this layer. */
  createdBy: string;
}

export interface LayerSpec {
  files: readonly FileEntry[];
  createdBy?: string;
}

export interface ImageSpec {
  format?: ImageFormat;
  /** Default linux/amd64. */
  platform?: Platform;
  /** Specs are built here; already built layers are reused as they are (same bytes, media type set by `format`). */
  layers: ReadonlyArray<LayerSpec | BuiltLayer>;
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  labels?: Record<string, string>;
  /** RFC 3339; default the layer mtime. */
  created?: string;
  /** Manifest annotations (OCI only; Docker v2 manifests have none). */
  annotations?: Record<string, string>;
}

export interface BuiltImage {
  format: ImageFormat;
  platform: Platform;
  config: BuiltBlob;
  layers: BuiltLayer[];
  manifest: BuiltBlob;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export function blobOf(mediaType: string, content: Uint8Array | string): BuiltBlob {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return { mediaType, digest: sha256Digest(data), size: data.length, data };
}

/** The JSON bytes of `value`, as a blob (key order is the order the object was built in). */
export function jsonBlob(mediaType: string, value: unknown): BuiltBlob {
  return blobOf(mediaType, JSON.stringify(value));
}

/** A descriptor of `blob`, with optional extra fields (platform, artifactType, annotations). */
export function descriptorOf(blob: BuiltBlob, extra: Partial<Omit<Descriptor, 'mediaType' | 'digest' | 'size'>> = {}): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size, ...extra };
}

/** The OCI empty JSON blob `{}` used as the config of artifacts. */
export function emptyJsonBlob(): BuiltBlob {
  return blobOf(MEDIA_TYPES.ociEmptyConfig, EMPTY_JSON_CONTENT);
}

export function layerMediaType(format: ImageFormat): string {
  return format === 'docker' ? LAYER_MEDIA_TYPES.dockerGzip : LAYER_MEDIA_TYPES.ociGzip;
}

export async function buildLayer(spec: LayerSpec, format: ImageFormat = 'oci'): Promise<BuiltLayer> {
  if (spec.files.length === 0) {
    throw new Error('A layer needs at least one file.');
  }
  const tarBytes = await buildTar(spec.files);
  const data = await gzipLayer(tarBytes);
  const files = spec.files.map((file) => normaliseImagePath(file.path)).sort();
  return {
    mediaType: layerMediaType(format),
    digest: sha256Digest(data),
    size: data.length,
    data,
    diffId: sha256Digest(tarBytes),
    files,
    createdBy: spec.createdBy ?? `COPY ${files.length} file(s) /`,
  };
}

function isBuiltLayer(layer: LayerSpec | BuiltLayer): layer is BuiltLayer {
  return 'digest' in layer && 'diffId' in layer;
}

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const format = spec.format ?? 'oci';
  const platform = spec.platform ?? DEFAULT_PLATFORM;
  if (spec.layers.length === 0) {
    throw new Error('An image needs at least one layer.');
  }
  const layers: BuiltLayer[] = [];
  for (const layer of spec.layers) {
    const built = isBuiltLayer(layer) ? layer : await buildLayer(layer, format);
    layers.push({ ...built, mediaType: layerMediaType(format) });
  }
  const created = spec.created ?? LAYER_MTIME.toISOString().replace('.000Z', 'Z');
  const containerConfig: Record<string, unknown> = {
    Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    Cmd: spec.cmd ?? ['/bin/sh'],
  };
  if (spec.workingDir) {
    containerConfig.WorkingDir = spec.workingDir;
  }
  if (spec.labels && Object.keys(spec.labels).length > 0) {
    containerConfig.Labels = spec.labels;
  }
  const configJson: Record<string, unknown> = {
    created,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    os: platform.os,
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: layers.map((layer) => ({ created, created_by: layer.createdBy })),
  };
  const config = jsonBlob(format === 'docker' ? MEDIA_TYPES.dockerImageConfig : MEDIA_TYPES.ociImageConfig, configJson);
  const manifestMediaType = format === 'docker' ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest;
  const manifestJson: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: descriptorOf(config),
    layers: layers.map((layer) => descriptorOf(layer)),
  };
  if (format === 'oci' && spec.annotations && Object.keys(spec.annotations).length > 0) {
    manifestJson.annotations = spec.annotations;
  }
  return { format, platform, config, layers, manifest: jsonBlob(manifestMediaType, manifestJson) };
}

export interface IndexOptions {
  /** `oci` gives an OCI image index, `docker` a Docker manifest list. Default `oci`. */
  format?: ImageFormat;
  annotations?: Record<string, string>;
}

/** An index of `images`, each entry carrying its platform. */
export function buildIndex(images: readonly BuiltImage[], options: IndexOptions = {}): BuiltBlob {
  const format = options.format ?? 'oci';
  if (images.length === 0) {
    throw new Error('An index needs at least one image.');
  }
  const mediaType = format === 'docker' ? MEDIA_TYPES.dockerManifestList : MEDIA_TYPES.ociIndex;
  const indexJson: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType,
    manifests: images.map((image) => descriptorOf(image.manifest, { platform: platformOf(image.platform) })),
  };
  if (format === 'oci' && options.annotations && Object.keys(options.annotations).length > 0) {
    indexJson.annotations = options.annotations;
  }
  return jsonBlob(mediaType, indexJson);
}

function platformOf(platform: Platform): Platform {
  return { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}) };
}

export interface ArtifactSpec {
  artifactType: string;
  /** The manifest this artifact refers to (OCI `subject`). */
  subject?: Descriptor;
  /** The artifact's blobs, in order; they become the manifest's `layers`. */
  blobs: ReadonlyArray<{ mediaType: string; content: Uint8Array | string }>;
  annotations?: Record<string, string>;
}

export interface BuiltArtifact {
  config: BuiltBlob;
  layers: BuiltBlob[];
  manifest: BuiltBlob;
}

/** An OCI 1.1 artifact: an image manifest with `artifactType`, the empty config and a `subject`. */
export function buildArtifact(spec: ArtifactSpec): BuiltArtifact {
  const config = emptyJsonBlob();
  const layers = spec.blobs.map((blob) => blobOf(blob.mediaType, blob.content));
  const manifestJson: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: spec.artifactType,
    config: descriptorOf(config),
    layers: layers.map((layer) => descriptorOf(layer)),
  };
  if (spec.subject) {
    manifestJson.subject = { mediaType: spec.subject.mediaType, digest: spec.subject.digest, size: spec.subject.size };
  }
  if (spec.annotations && Object.keys(spec.annotations).length > 0) {
    manifestJson.annotations = spec.annotations;
  }
  return { config, layers, manifest: jsonBlob(MEDIA_TYPES.ociManifest, manifestJson) };
}

/** The descriptor a referrers listing shows for an artifact: with `artifactType` and its annotations. */
export function referrerDescriptor(artifact: BuiltArtifact): Descriptor {
  const parsed = JSON.parse(artifact.manifest.data.toString('utf8')) as { artifactType?: string; annotations?: Record<string, string> };
  return descriptorOf(artifact.manifest, {
    ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
    ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
  });
}

/** The OCI index the referrers API (or its tag-schema fallback) returns for a subject. */
export function buildReferrersIndex(referrers: readonly Descriptor[], annotations?: Record<string, string>): BuiltBlob {
  const index: Record<string, unknown> = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: referrers };
  if (annotations && Object.keys(annotations).length > 0) {
    index.annotations = annotations;
  }
  return jsonBlob(MEDIA_TYPES.ociIndex, index);
}
