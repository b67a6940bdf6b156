/**
 * The streaming artifact: an OCI image manifest with ACR's artifact type and annotations, a
 * config derived from the source config, the converted layers, and the requested image as
 * `subject`. Nothing in it depends on time, so converting the same image twice gives the same
 * digest (and no duplicate referrer).
 */
import { MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../src/core/mediaTypes';
import type { Descriptor } from '../../src/core/models';

export const STREAMING_ANNOTATIONS = {
  'streaming.format': 'overlaybd',
  'streaming.version': 'v1',
  'streaming.platform.os': 'linux',
  'streaming.platform.arch': 'amd64',
} as const;

export function buildArtifactConfig(sourceConfig: Buffer, layers: readonly Descriptor[]): Buffer {
  const config = JSON.parse(sourceConfig.toString('utf8')) as Record<string, unknown>;
  config.rootfs = { type: 'layers', diff_ids: layers.map((layer) => layer.digest) };
  return Buffer.from(JSON.stringify(config));
}

export function buildArtifactManifest(config: Descriptor, layers: readonly Descriptor[], subject: Descriptor): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: STREAMING_ARTIFACT_TYPE,
    config: { mediaType: MEDIA_TYPES.ociImageConfig, digest: config.digest, size: config.size },
    layers: layers.map((layer) => ({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size, annotations: layer.annotations })),
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { ...STREAMING_ANNOTATIONS },
  };
  return Buffer.from(JSON.stringify(manifest));
}
