/** Builders for the shapes the core passes around, close to what ACR really returns. */
import { createHash } from 'node:crypto';
import { MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import type { Descriptor, ManifestSummary, Platform, StreamingOperation } from '../../../src/core/models';

export const LINUX_AMD64: Platform = { os: 'linux', architecture: 'amd64' };
export const LINUX_ARM64: Platform = { os: 'linux', architecture: 'arm64' };
export const LINUX_ARM_V7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
export const WINDOWS_AMD64: Platform = { os: 'windows', architecture: 'amd64' };

/** A stable, valid sha256 digest named by a label. */
export function digestOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

export function imageManifest(label: string, overrides: Partial<ManifestSummary> = {}): ManifestSummary {
  return {
    digest: digestOf(label),
    mediaType: MEDIA_TYPES.ociManifest,
    configMediaType: MEDIA_TYPES.ociImageConfig,
    platform: LINUX_AMD64,
    size: 1234,
    ...overrides,
  };
}

export function dockerManifest(label: string, overrides: Partial<ManifestSummary> = {}): ManifestSummary {
  return imageManifest(label, { mediaType: MEDIA_TYPES.dockerManifest, configMediaType: MEDIA_TYPES.dockerImageConfig, ...overrides });
}

export function indexManifest(label: string, children: Array<{ label: string; platform: Platform }>, overrides: Partial<ManifestSummary> = {}): ManifestSummary {
  return {
    digest: digestOf(label),
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: children.map((child) => ({ mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(child.label), size: 500, platform: child.platform })),
    ...overrides,
  };
}

/** A streaming artifact descriptor as the referrers API lists it (annotations as seen on real ones). */
export function streamingDescriptor(label: string): Descriptor {
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest: digestOf(label),
    size: 789,
    artifactType: STREAMING_ARTIFACT_TYPE,
    annotations: {
      'streaming.format': 'overlaybd',
      'streaming.version': 'v1',
      'streaming.platform.os': 'linux',
      'streaming.platform.arch': 'amd64',
    },
  };
}

/** A signature-like referrer that is not a streaming artifact. */
export function signatureDescriptor(label: string): Descriptor {
  return { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(label), size: 100, artifactType: 'application/vnd.cncf.notary.signature' };
}

export function operation(overrides: Partial<StreamingOperation> = {}): StreamingOperation {
  return { id: '7dfcc117-d980-4c19-8817-3171e14186ca', repository: 'samples/hello', status: 'Running', progress: 0, ...overrides };
}

export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
