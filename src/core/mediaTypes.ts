/** Media and artifact types the core recognises. */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociImageConfig: 'application/vnd.oci.image.config.v1+json',
  dockerImageConfig: 'application/vnd.docker.container.image.v1+json',
  ociEmptyConfig: 'application/vnd.oci.empty.v1+json',
} as const;

/** The four source media types ACR can convert. */
export const CONVERTIBLE_MEDIA_TYPES: readonly string[] = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
];

export const INDEX_MEDIA_TYPES: readonly string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];

/** Config media types of runnable images; anything else (signatures, SBOMs…) is not runnable. */
export const RUNNABLE_CONFIG_MEDIA_TYPES: readonly string[] = [MEDIA_TYPES.ociImageConfig, MEDIA_TYPES.dockerImageConfig];

export const STREAMING_ARTIFACT_TYPE = 'application/vnd.azure.artifact.streaming.v1';

/** Accept header for manifest GETs: every type a registry may answer with. */
export const MANIFEST_ACCEPT = CONVERTIBLE_MEDIA_TYPES.join(', ');

/** The conversion ACR performs today. */
export const CONVERSION_FORMAT = 'overlaybd';
export const CONVERSION_VERSION = 'v1';
