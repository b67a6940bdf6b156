/** ACR's metadata API: `/acr/v1/_catalog`, `/acr/v1/{repo}`, `…/_tags[/{tag}]`, `…/_manifests[/{digest}]`. */
import { sendAcrError, sendJson } from '../http/acrResponses';
import type { RequestContext } from '../http/requestContext';
import type { RegistryMetadata, RepositorySnapshot } from '../registry/metadataCache';
import { manifestView, repositoryView, tagView } from './listingViews';
import { linkHeader, readPageRequest, sortForListing, takePage, type PageRequest } from './paging';

export interface ListingDeps {
  metadata: RegistryMetadata;
  loginServer: string;
}

function pageOrError(ctx: RequestContext): PageRequest | undefined {
  const request = readPageRequest(ctx.url);
  if ('error' in request) {
    sendAcrError(ctx.res, 400, 'PAGINATION_NUMBER_INVALID', request.error);
    return undefined;
  }
  return request;
}

export function sendNameUnknown(ctx: RequestContext, repository: string): void {
  sendAcrError(ctx.res, 404, 'NAME_UNKNOWN', 'repository name not known to registry', { detail: { name: repository } });
}

export async function handleCatalog(ctx: RequestContext, deps: ListingDeps): Promise<void> {
  const request = pageOrError(ctx);
  if (!request) {
    return;
  }
  const repositories = await deps.metadata.listRepositories();
  const { page, next } = takePage(repositories, (r) => r, { ...request, orderby: undefined });
  sendJson(ctx.res, 200, { repositories: page }, next ? { Link: linkHeader('/acr/v1/_catalog', next, { ...request, orderby: undefined }) } : {});
}

async function snapshotOr404(ctx: RequestContext, deps: ListingDeps, repository: string): Promise<RepositorySnapshot | undefined> {
  const snapshot = await deps.metadata.repository(repository);
  if (!snapshot) {
    sendNameUnknown(ctx, repository);
  }
  return snapshot;
}

export async function handleRepository(ctx: RequestContext, deps: ListingDeps, repository: string): Promise<void> {
  const snapshot = await snapshotOr404(ctx, deps, repository);
  if (snapshot) {
    sendJson(ctx.res, 200, repositoryView(deps.loginServer, snapshot));
  }
}

export async function handleTags(ctx: RequestContext, deps: ListingDeps, repository: string): Promise<void> {
  const request = pageOrError(ctx);
  const snapshot = request && (await snapshotOr404(ctx, deps, repository));
  if (!request || !snapshot) {
    return;
  }
  // `digest=` keeps the tags of one manifest (the SDK's listTagProperties of an artifact).
  const digest = ctx.url.searchParams.get('digest');
  const tags = digest ? snapshot.tags.filter((t) => t.digest === digest) : snapshot.tags;
  const sorted = request.orderby ? sortForListing(tags, (t) => t.name, (t) => t.lastUpdateTime, request.orderby) : tags;
  const { page, next } = takePage(sorted, (t) => t.name, request);
  const link = next ? linkHeader(`/acr/v1/${repository}/_tags`, next, request) : undefined;
  sendJson(
    ctx.res,
    200,
    { registry: deps.loginServer, imageName: repository, tags: page.map(tagView) },
    link ? { Link: digest ? link.replace('>;', `&digest=${encodeURIComponent(digest)}>;`) : link } : {},
  );
}

export async function handleTag(ctx: RequestContext, deps: ListingDeps, repository: string, tag: string): Promise<void> {
  const snapshot = await snapshotOr404(ctx, deps, repository);
  if (!snapshot) {
    return;
  }
  const record = snapshot.tagByName.get(tag);
  if (!record) {
    sendAcrError(ctx.res, 404, 'TAG_UNKNOWN', 'the specified tag does not exist', { detail: { name: repository, tag } });
    return;
  }
  sendJson(ctx.res, 200, { registry: deps.loginServer, imageName: repository, tag: tagView(record) });
}

export async function handleManifests(ctx: RequestContext, deps: ListingDeps, repository: string): Promise<void> {
  const request = pageOrError(ctx);
  const snapshot = request && (await snapshotOr404(ctx, deps, repository));
  if (!request || !snapshot) {
    return;
  }
  const sorted = request.orderby
    ? sortForListing(snapshot.manifests, (m) => m.info.digest, (m) => m.lastUpdateTime, request.orderby)
    : snapshot.manifests;
  const { page, next } = takePage(sorted, (m) => m.info.digest, request);
  sendJson(
    ctx.res,
    200,
    { registry: deps.loginServer, imageName: repository, manifests: page.map(manifestView) },
    next ? { Link: linkHeader(`/acr/v1/${repository}/_manifests`, next, request) } : {},
  );
}

export async function handleManifest(ctx: RequestContext, deps: ListingDeps, repository: string, reference: string): Promise<void> {
  const snapshot = await snapshotOr404(ctx, deps, repository);
  if (!snapshot) {
    return;
  }
  const digest = reference.startsWith('sha256:') ? reference : snapshot.tagByName.get(reference)?.digest;
  const record = digest ? snapshot.byDigest.get(digest) : undefined;
  if (!record || record.hidden) {
    sendAcrError(ctx.res, 404, 'MANIFEST_UNKNOWN', `manifest ${reference} is not found`, { detail: { name: repository, reference } });
    return;
  }
  sendJson(ctx.res, 200, { registry: deps.loginServer, imageName: repository, manifest: manifestView(record) });
}
