/**
 * Deletes through ACR's API: a tag (docker-registry 2.8 cannot untag over HTTP, so the tag's
 * folder is removed from its storage), a manifest (its referrers go with it), a repository.
 */
import { rm } from 'node:fs/promises';
import { sendAcrError, sendEmpty, sendJson } from '../http/acrResponses';
import type { RequestContext } from '../http/requestContext';
import type { RegistryMetadata } from '../registry/metadataCache';
import type { RegistryEvents } from '../registry/registryEvents';
import type { StateStore } from '../state/stateStore';
import type { UpstreamClient } from '../upstream/upstreamClient';
import { sendNameUnknown } from './listingRoutes';

export interface DeleteDeps {
  metadata: RegistryMetadata;
  events: RegistryEvents;
  upstream: UpstreamClient;
  state: StateStore;
}

function forgetTag(state: StateStore, repository: string, tag: string): void {
  const tags = state.state.tagTimes[repository];
  if (tags && tag in tags) {
    delete tags[tag];
    state.changed();
  }
}

export async function deleteTag(ctx: RequestContext, deps: DeleteDeps, repository: string, tag: string): Promise<void> {
  const snapshot = await deps.metadata.repository(repository);
  if (!snapshot) {
    sendNameUnknown(ctx, repository);
    return;
  }
  if (!snapshot.tagByName.has(tag)) {
    sendAcrError(ctx.res, 404, 'TAG_UNKNOWN', 'the specified tag does not exist', { detail: { name: repository, tag } });
    return;
  }
  await rm(deps.metadata.layout.tagDir(repository, tag), { recursive: true, force: true });
  forgetTag(deps.state, repository, tag);
  deps.metadata.invalidate(repository);
  sendEmpty(ctx.res, 202);
}

export async function deleteManifest(ctx: RequestContext, deps: DeleteDeps, repository: string, digest: string): Promise<void> {
  const snapshot = await deps.metadata.repository(repository);
  if (!snapshot) {
    sendNameUnknown(ctx, repository);
    return;
  }
  const record = snapshot.byDigest.get(digest);
  if (!record || record.hidden) {
    sendAcrError(ctx.res, 404, 'MANIFEST_UNKNOWN', `manifest ${digest} is not found`, { detail: { name: repository, reference: digest } });
    return;
  }
  await deps.upstream.deleteManifest(repository, digest);
  await deps.events.manifestDeleted(repository, digest);
  sendEmpty(ctx.res, 202);
}

export async function deleteRepository(ctx: RequestContext, deps: DeleteDeps, repository: string): Promise<void> {
  const snapshot = await deps.metadata.repository(repository);
  if (!snapshot) {
    sendNameUnknown(ctx, repository);
    return;
  }
  // Only this repository's own folders: `a` may hold the nested repository `a/b`.
  for (const part of ['_manifests', '_layers', '_uploads']) {
    await rm(`${deps.metadata.layout.repositoryDir(repository)}/${part}`, { recursive: true, force: true });
  }
  delete deps.state.state.tagTimes[repository];
  deps.state.changed();
  deps.metadata.invalidate(repository);
  sendJson(ctx.res, 202, {
    manifestsDeleted: snapshot.manifests.map((m) => m.info.digest),
    tagsDeleted: snapshot.tags.map((t) => t.name),
  });
}
