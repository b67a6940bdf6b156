/**
 * `GET /v2/{repo}/referrers/{digest}[?artifactType=…]`: the OCI referrers API, which the
 * docker-registry underneath lacks, answered from the emulator's subject index.
 */
import { MEDIA_TYPES } from '../../src/core/mediaTypes';
import { sendAcrError, sendJson } from '../http/acrResponses';
import type { RequestContext } from '../http/requestContext';
import type { RegistryMetadata } from '../registry/metadataCache';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export async function handleReferrers(ctx: RequestContext, metadata: RegistryMetadata, repository: string, digest: string): Promise<void> {
  if (!DIGEST.test(digest)) {
    sendAcrError(ctx.res, 400, 'DIGEST_INVALID', 'provided digest is invalid', { detail: digest });
    return;
  }
  const snapshot = await metadata.repository(repository);
  if (!snapshot) {
    sendAcrError(ctx.res, 404, 'NAME_UNKNOWN', 'repository name not known to registry', { detail: { name: repository } });
    return;
  }
  const artifactType = ctx.url.searchParams.get('artifactType');
  let manifests = snapshot.referrers.get(digest) ?? [];
  const headers: Record<string, string> = {};
  if (artifactType) {
    manifests = manifests.filter((d) => d.artifactType === artifactType);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  sendJson(ctx.res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }, headers, MEDIA_TYPES.ociIndex);
}
