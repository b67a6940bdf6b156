/** ACR's artifact-streaming endpoints and the OCI referrers API, as recorded from real traffic. */
import type { z } from 'zod';
import type { RequestOptions, RetryHint, StreamingApi } from './api';
import { AcrStreamingError } from './errors';
import { validateReply, safeJson } from './http/replyJson';
import { HttpTransport, type HttpReply } from './http/transport';
import { CONVERSION_FORMAT, CONVERSION_VERSION, MEDIA_TYPES } from './mediaTypes';
import type { Descriptor, RepositoryStreamingState, StreamingOperation } from './models';
import { toStreamingOperation } from './operationMapping';
import { validateDigest, validateRepository, type RegistryEndpoint } from './reference';
import { descriptorSchema, manifestSchema, operationRefSchema, operationSchema, referrersIndexSchema, streamingSettingsSchema } from './schemas';
import { quoteInput } from './quoteInput';

const OPERATION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const MAX_REFERRER_PAGES = 50;

export class StreamingClient implements StreamingApi {
  readonly loginServer: string;

  constructor(
    endpoint: RegistryEndpoint,
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

  async listReferrers(repository: string, digest: string, options: RequestOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    const repo = validateRepository(repository);
    const dig = validateDigest(digest);
    const what = `Listing the referrers of ${repo}@${dig}`;
    const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : '';
    let path: string | undefined = `/v2/${repo}/referrers/${dig}${query}`;
    const found: Descriptor[] = [];
    let filtered = true;
    for (let page = 0; path && page < MAX_REFERRER_PAGES; page++) {
      const reply: HttpReply = await this.http.send({ method: 'GET', path, what, okStatuses: [200, 404], headers: { Accept: MEDIA_TYPES.ociIndex }, signal: options.signal });
      if (reply.status === 404) {
        // No referrers API (a plain distribution registry): use the OCI referrers tag schema.
        return page === 0 ? this.listReferrersByTag(repo, dig, options) : found;
      }
      const index = validateReply(referrersIndexSchema, reply, what, this.loginServer);
      found.push(...index.manifests.map(toDescriptor));
      filtered &&= (reply.headers.get('oci-filters-applied') ?? '').split(',').map((s) => s.trim()).includes('artifactType');
      path = nextLink(reply, `/v2/${repo}/referrers/`);
    }
    return options.artifactType && !filtered ? found.filter((d) => d.artifactType === options.artifactType) : found;
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
    return options.artifactType ? all.filter((d) => d.artifactType === options.artifactType) : all;
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


/** The next page from a `Link: <…>; rel="next"` header, only when it stays under `prefix`. */
export function nextLink(reply: HttpReply, prefix: string): string | undefined {
  const link = reply.headers.get('link');
  const target = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link)?.[1] : undefined;
  if (!target) {
    return undefined;
  }
  const url = new URL(target, 'http://registry.invalid');
  const path = `${url.pathname}${url.search}`;
  return path.startsWith(prefix) ? path : undefined;
}

