/** What the emulator needs to know about a stored manifest, parsed once per digest. */
import { MEDIA_TYPES } from '../../src/core/mediaTypes';
import type { Descriptor } from '../../src/core/models';

export const DOCKER_SCHEMA1_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v1+json';

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** Bytes of the manifest itself. */
  size: number;
  kind: 'image' | 'index' | 'other';
  config?: Descriptor;
  layers: Descriptor[];
  /** Entries of an index / manifest list. */
  manifests: Descriptor[];
  artifactType?: string;
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') {
      out[key] = item;
    }
  }
  return out;
}

export function toDescriptor(value: unknown): Descriptor | undefined {
  if (!isRecord(value) || typeof value.digest !== 'string' || typeof value.mediaType !== 'string') {
    return undefined;
  }
  const descriptor: Descriptor = { mediaType: value.mediaType, digest: value.digest, size: typeof value.size === 'number' ? value.size : 0 };
  if (typeof value.artifactType === 'string') {
    descriptor.artifactType = value.artifactType;
  }
  const annotations = stringRecord(value.annotations);
  if (annotations) {
    descriptor.annotations = annotations;
  }
  if (isRecord(value.platform) && typeof value.platform.os === 'string' && typeof value.platform.architecture === 'string') {
    descriptor.platform = { os: value.platform.os, architecture: value.platform.architecture };
    if (typeof value.platform.variant === 'string') {
      descriptor.platform.variant = value.platform.variant;
    }
  }
  return descriptor;
}

function descriptors(value: unknown): Descriptor[] {
  return Array.isArray(value) ? value.map(toDescriptor).filter((d): d is Descriptor => d !== undefined) : [];
}

/** Parses stored manifest bytes; the media type falls back to what the JSON's shape says. */
export function parseManifest(bytes: Buffer, digest: string): ManifestInfo {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { digest, mediaType: 'application/octet-stream', size: bytes.length, kind: 'other', layers: [], manifests: [] };
  }
  const doc = isRecord(json) ? json : {};
  let mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if (!mediaType) {
    mediaType = doc.schemaVersion === 1 ? DOCKER_SCHEMA1_MEDIA_TYPE : Array.isArray(doc.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  }
  const isIndex = mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
  const isImage = mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.dockerManifest;
  return {
    digest,
    mediaType,
    size: bytes.length,
    kind: isIndex ? 'index' : isImage ? 'image' : 'other',
    config: toDescriptor(doc.config),
    layers: descriptors(doc.layers),
    manifests: descriptors(doc.manifests),
    artifactType: typeof doc.artifactType === 'string' ? doc.artifactType : undefined,
    subject: toDescriptor(doc.subject),
    annotations: stringRecord(doc.annotations),
  };
}

/** The OCI referrers descriptor of a manifest that has a subject. */
export function referrerDescriptor(info: ManifestInfo): Descriptor {
  const descriptor: Descriptor = { mediaType: info.mediaType, digest: info.digest, size: info.size };
  const artifactType = info.artifactType ?? info.config?.mediaType;
  if (artifactType) {
    descriptor.artifactType = artifactType;
  }
  if (info.annotations && Object.keys(info.annotations).length > 0) {
    descriptor.annotations = info.annotations;
  }
  return descriptor;
}
