/**
 * Media types the emulator builds with, beyond the manifest/config types the core already
 * knows (`src/core/mediaTypes.ts`): layers, the empty config of artifacts, and the types a
 * Notary signature uses.
 */
export { MEDIA_TYPES } from '../../src/core/mediaTypes';

export const LAYER_MEDIA_TYPES = {
  ociGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const NOTARY_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
export const JOSE_MEDIA_TYPE = 'application/jose+json';

/** The OCI empty descriptor's content: the two bytes `{}` (image-spec 1.1, "Guidance for an empty descriptor"). */
export const EMPTY_JSON_CONTENT = '{}';
