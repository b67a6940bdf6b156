/** ACR's artifact-streaming endpoints and the OCI referrers API, as recorded from real traffic. */
import type { z } from 'zod';
import type { RequestOptions, RetryHint, StreamingApi } from './api';
import { AcrStreamingError } from './errors';
import { validateReply, safeJson } from './http/replyJson';
import { HttpTransport, type HttpReply } from './http/transport';
import { CONVERSION_FORMAT, CONVERSION_VERSION, MEDIA_TYPES } from './mediaTypes';
import type { Descriptor, RepositoryStreamingState, StreamingOperation } from './models';
import { toStreamingOperation } from './operationMapping';
import { collectPages, nextLink, type LinkScope } from './paging';
import { validateDigest, validateRepository, type RegistryEndpoint } from './reference';
import { descriptorSchema, manifestSchema, operationRefSchema, operationSchema, referrersIndexSchema, streamingSettingsSchema } from './schemas';
import { quoteInput } from './quoteInput';

const OPERATION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const MAX_REFERRER_PAGES = 50;
const MAX_REFERRERS = 10_000;

export class StreamingClient implements StreamingApi {
  readonly loginServer: string;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    private readonly http: HttpTransport,
  ) {
    this.loginServer = endpoint.loginServer;
  }

  async getRepositoryState(repository: string, options: RequestOptions = {}): Promise<RepositoryStreamingState> {
    const repo = validateRepository(repository);
    const what = `Reading the artifact-streaming state of ${repo}`;
    const reply = await this.http.send({ method: 'GET', path: `/acr/v1/${repo}/_streaming`, what, signal: options.signal });
    return this.toState(repo, validateReply(streamingSettingsSchema, reply, what, this.loginServer));
  }

  async setAutoConversion(repository: string, enabled: boolean, options: RequestOptions = {}): Promise<RepositoryStreamingState> {
    const repo = validateRepository(repository);
    const what = `${enabled ? 'Starting' : 'Stopping'} artifact streaming on ${repo}`;
    const body = JSON.stringify({ convertPushedImages: enabled, conversionFormat: CONVERSION_FORMAT, conversionVersion: CONVERSION_VERSION });
    // Setting a state is idempotent, so this request may be retried safely.
    const reply = await this.http.send({ method: 'POST', path: `/acr/v1/${repo}/_streaming`, body, headers: { 'Content-Type': 'application/json' }, what, signal: options.signal });
    const parsed = streamingSettingsSchema.safeParse(safeJson(reply.bodyText));
    return parsed.success ? this.toState(repo, parsed.data) : { repository: repo, convertPushedImages: enabled, conversionFormat: CONVERSION_FORMAT, conversionVersion: CONVERSION_VERSION };
  }

  async startConversion(repository: string, digest: string, options: RequestOptions = {}): Promise<StreamingOperation> {
    const repo = validateRepository(repository);
    const dig = validateDigest(digest);
    const what = `Starting the conversion of ${repo}@${dig}`;
    const reply = await this.http.send({
      method: 'POST',
      path: `/acr/v1/${repo}/_streaming/${dig}`,
      body: JSON.stringify({ conversionFormat: CONVERSION_FORMAT, conversionVersion: CONVERSION_VERSION }),
      headers: { 'Content-Type': 'application/json' },
      idempotent: false,
      what,
      signal: options.signal,
    });
    const ref = validateReply(operationRefSchema, reply, what, this.loginServer);
    const id = this.operationIdOf(reply, ref.id, what);
    return { id, repository: repo, digest: dig, status: ref.status, progress: ref.status === 'Succeeded' ? 100 : 0 };
  }

  async getLastOperation(repository: string, digest: string, options: RequestOptions = {}): Promise<StreamingOperation | undefined> {
    const repo = validateRepository(repository);
    const dig = validateDigest(digest);
    const what = `Reading the last conversion of ${repo}@${dig}`;
    const reply = await this.http.send({ method: 'GET', path: `/acr/v1/${repo}/_streaming/${dig}`, what, okStatuses: [200, 404], signal: options.signal });
    if (reply.status === 404) {
      return undefined;
    }
    const ref = validateReply(operationRefSchema, reply, what, this.loginServer);
    // This reply carries only id and status; the operation itself has progress and details.
    const { retryAfterMs: _ignored, ...operation } = await this.getOperation(repo, this.operationIdOf(reply, ref.id, what), options);
    return { ...operation, digest: operation.digest ?? dig };
  }

  async getOperation(repository: string, operationId: string, options: RequestOptions = {}): Promise<StreamingOperation & RetryHint> {
    const repo = validateRepository(repository);
    const id = validateOperationId(operationId);
    const what = `Reading conversion operation ${id} of ${repo}`;
    const reply = await this.http.send({ method: 'GET', path: `/acr/v1/${repo}/_operations/${id}`, what, signal: options.signal });
    const body = validateReply(operationSchema, reply, what, this.loginServer);
    return { ...toStreamingOperation(body, repo, id), retryAfterMs: reply.retryAfterMs };
  }

  async cancelOperation(repository: string, operationId: string, options: RequestOptions = {}): Promise<StreamingOperation> {
    const repo = validateRepository(repository);
    const id = validateOperationId(operationId);
    const what = `Cancelling conversion operation ${id} of ${repo}`;
    // Cancelling twice is harmless, so retries are allowed.
    const reply = await this.http.send({ method: 'POST', path: `/acr/v1/${repo}/_operations/${id}:cancel`, what, signal: options.signal });
    const parsed = operationSchema.safeParse(safeJson(reply.bodyText));
    if (parsed.success) {
      return toStreamingOperation(parsed.data, repo, id);
    }
    const { retryAfterMs: _ignored, ...operation } = await this.getOperation(repo, id, options);
    return operation;
  }

  /**
   * Every page of the referrers, each digest once. The `artifactType` filter is applied here
   * whatever the registry says: one that ignores the query (and does not declare
   * `OCI-Filters-Applied`) returns everything, and a page that claims the filter is not trusted.
   */
  async listReferrers(repository: string, digest: string, options: RequestOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    const repo = validateRepository(repository);
    const dig = validateDigest(digest);
    const what = `Listing the referrers of ${repo}@${dig}`;
    const scope: LinkScope = { host: this.loginServer, what: `the referrers of ${repo}@${dig}`, origin: this.endpoint.baseUrl, path: `/v2/${repo}/referrers/${dig}` };
    const first = `${scope.path}${options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : ''}`;
    let noReferrersApi = false;
    const found = await collectPages(
      async (cursor) => {
        const reply: HttpReply = await this.http.send({ method: 'GET', path: cursor ?? first, what, okStatuses: [200, 404], headers: { Accept: MEDIA_TYPES.ociIndex }, signal: options.signal });
        if (reply.status === 404) {
          // On the first page: no referrers API (a plain distribution registry). Later: the listing went away.
          noReferrersApi = cursor === undefined;
          return { items: [] };
        }
        const index = validateReply(referrersIndexSchema, reply, what, this.loginServer);
        return { items: index.manifests.map(toDescriptor), continuation: nextLink(reply, scope) };
      },
      { ...scope, base: scope.origin, first, key: (d) => d.digest, maxPages: MAX_REFERRER_PAGES, maxItems: MAX_REFERRERS, signal: options.signal },
    );
    if (noReferrersApi) {
      return this.listReferrersByTag(repo, dig, options);
    }
    return filterByArtifactType(found, options.artifactType);
  }

  private async listReferrersByTag(repo: string, digest: string, options: RequestOptions & { artifactType?: string }): Promise<Descriptor[]> {
    const tag = digest.replace(':', '-');
    const what = `Listing the referrers of ${repo}@${digest} (referrers tag)`;
    const reply = await this.http.send({ method: 'GET', path: `/v2/${repo}/manifests/${tag}`, what, okStatuses: [200, 404], headers: { Accept: MEDIA_TYPES.ociIndex }, signal: options.signal });
    if (reply.status === 404) {
      return [];
    }
    const index = validateReply(manifestSchema, reply, what, this.loginServer);
    const all = (index.manifests ?? []).map(toDescriptor);
    const unique = [...new Map(all.map((d) => [d.digest, d] as const)).values()];
    return filterByArtifactType(unique, options.artifactType);
  }

  private toState(repository: string, body: z.infer<typeof streamingSettingsSchema>): RepositoryStreamingState {
    return { repository, convertPushedImages: body.convertPushedImages, conversionFormat: body.conversionFormat, conversionVersion: body.conversionVersion };
  }

  private operationIdOf(reply: HttpReply, bodyId: string | undefined, what: string): string {
    const id = bodyId ?? reply.headers.get('operation-id');
    if (!id || !OPERATION_ID_RE.test(id)) {
      throw new AcrStreamingError('INVALID_RESPONSE', `${what}: the registry's reply has no valid operation id.`);
    }
    return id;
  }

}

export function validateOperationId(id: string): string {
  const trimmed = id.trim();
  if (!OPERATION_ID_RE.test(trimmed)) {
    throw new AcrStreamingError('INVALID_INPUT', `${quoteInput(trimmed)} is not a valid operation id.`, { hint: 'Operation ids look like 7dfcc117-d980-4c19-8817-3171e14186ca.' });
  }
  return trimmed;
}

function toDescriptor(d: z.infer<typeof descriptorSchema>): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, artifactType: d.artifactType, annotations: d.annotations, platform: d.platform };
}


function filterByArtifactType(descriptors: Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType ? descriptors.filter((d) => d.artifactType === artifactType) : descriptors;
}
