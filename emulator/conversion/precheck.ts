/**
 * The checks ACR makes before converting, each with its documented failure code, and what to
 * convert: the image itself, or the linux/amd64 entry of an index.
 */
import { CONVERTIBLE_MEDIA_TYPES, RUNNABLE_CONFIG_MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../src/core/mediaTypes';
import type { Descriptor } from '../../src/core/models';
import type { ManifestInfo } from '../registry/manifestInfo';
import type { RegistryMetadata } from '../registry/metadataCache';
import { ConversionFailure } from './conversionFailure';

export interface ConversionSource {
  /** The digest that was asked for: the streaming artifact's `subject`. */
  subject: Descriptor;
  /** The image manifest whose layers are converted. */
  image: ManifestInfo;
  /** Bytes of its image config. */
  config: Buffer;
}

export function isLinuxAmd64(descriptor: Descriptor): boolean {
  return descriptor.platform?.os === 'linux' && descriptor.platform.architecture === 'amd64';
}

export async function resolveConversionSource(metadata: RegistryMetadata, repository: string, digest: string): Promise<ConversionSource> {
  const resource = `${repository}@${digest}`;
  const requested = await metadata.manifestInRepository(repository, digest);
  if (!requested) {
    throw new ConversionFailure('RESOURCE_NOT_FOUND', `The image ${resource} was not found.`);
  }
  if (requested.artifactType === STREAMING_ARTIFACT_TYPE) {
    throw new ConversionFailure('UNSUPPORTED_ARTIFACT_TYPE', `${resource} is already a streaming artifact and cannot be converted again.`);
  }
  if (!CONVERTIBLE_MEDIA_TYPES.includes(requested.mediaType)) {
    throw new ConversionFailure('UNSUPPORTED_MEDIATYPE', `The media type ${requested.mediaType} of ${resource} is not supported.`);
  }
  let image = requested;
  if (requested.kind === 'index') {
    const entry = requested.manifests.find(isLinuxAmd64);
    if (!entry) {
      throw new ConversionFailure('NO_SUPPORTED_PLATFORM_FOUND', `The index ${resource} has no linux/amd64 image.`);
    }
    const child = await metadata.manifestInRepository(repository, entry.digest);
    if (!child) {
      throw new ConversionFailure('RESOURCE_NOT_FOUND', `The linux/amd64 image ${entry.digest} of ${resource} was not found.`);
    }
    if (child.artifactType === STREAMING_ARTIFACT_TYPE) {
      throw new ConversionFailure('UNSUPPORTED_ARTIFACT_TYPE', `The linux/amd64 entry of ${resource} is a streaming artifact.`);
    }
    if (child.kind !== 'image') {
      throw new ConversionFailure('UNSUPPORTED_MEDIATYPE', `The linux/amd64 entry of ${resource} has the unsupported media type ${child.mediaType}.`);
    }
    image = child;
  }
  if (!image.config || !RUNNABLE_CONFIG_MEDIA_TYPES.includes(image.config.mediaType)) {
    throw new ConversionFailure(
      'IMAGE_NOT_RUNNABLE',
      `${resource} is not a runnable image (config media type ${image.config?.mediaType ?? 'none'}).`,
    );
  }
  const config = await metadata.readBlob(image.config.digest);
  if (!config) {
    throw new ConversionFailure('RESOURCE_NOT_FOUND', `The image config ${image.config.digest} of ${resource} was not found.`);
  }
  let platform: { os?: unknown; architecture?: unknown } = {};
  try {
    platform = JSON.parse(config.toString('utf8')) as typeof platform;
  } catch {
    throw new ConversionFailure('IMAGE_NOT_RUNNABLE', `The image config of ${resource} is not valid JSON.`);
  }
  if (platform.os !== 'linux' || platform.architecture !== 'amd64') {
    throw new ConversionFailure(
      'UNSUPPORTED_PLATFORM',
      `${resource} is ${String(platform.os ?? '?')}/${String(platform.architecture ?? '?')}; only linux/amd64 images can be converted.`,
    );
  }
  return { subject: { mediaType: requested.mediaType, digest, size: requested.size }, image, config };
}
