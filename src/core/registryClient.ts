/**
 * Reading a registry: repositories, tags and manifests.
 *
 * `@azure/container-registry` does the listing it supports (repositories with their paging,
 * repository properties); it has no repository-wide tag listing ordered by time and exposes no
 * manifest media types, subjects or artifact types, so those come from `/acr/v1/{repo}/_tags`
 * and `/v2/{repo}/manifests` over the same authenticated pipeline.
 */
import { bearerTokenAuthenticationPolicyName, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { createHash } from 'node:crypto';
import type { RegistryApi, RequestOptions } from './api';
import { AcrStreamingError, InvalidInputError, toAcrStreamingError } from './errors';
import { validateReply, safeJson } from './http/replyJson';
import { HttpTransport, type HttpReply, type TransportOptions } from './http/transport';
import { errorFromReply, parseRetryAfter } from './http/responseErrors';
import { useCoreRetry } from './http/retryPolicy';
import { INDEX_MEDIA_TYPES, MANIFEST_ACCEPT, MEDIA_TYPES } from './mediaTypes';
import type { Descriptor, ManifestSummary, Page, PageOptions, Platform, RepositoryInfo, TagInfo } from './models';
import { isValidDigest, isValidTag, validateDigest, validateRepository, type RegistryEndpoint } from './reference';
import { imageConfigSchema, manifestAttributesSchema, manifestSchema, singleTagSchema, tagListSchema } from './schemas';
import { checkedLink, nextLink, normalizeCursor, PagingError, repeatedPageError, tooManyPagesError, type LinkScope } from './paging';
import { quoteInput } from './quoteInput';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
/** Pages the SDK may follow on its own within one call (it skips pages without a repository list). */
const MAX_SDK_PAGES_PER_CALL = 10;
type SdkClient = InstanceType<Awaited<typeof import('@azure/container-registry')>['ContainerRegistryClient']>;
const ARTIFACT_MANIFEST_TYPE = 'application/vnd.oci.artifact.manifest.v1+json';

export class RegistryClient implements RegistryApi {
  readonly loginServer: string;
  private sdkClient?: Promise<SdkClient>;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    private readonly http: HttpTransport,
    private readonly sdkOptions: { transport: TransportOptions; auth: PipelinePolicy },
  ) {
    this.loginServer = endpoint.loginServer;
  }

  async listRepositories(options: PageOptions = {}): Promise<Page<string>> {
    const scope = this.linkScope('/acr/v1/_catalog', 'the repositories');
    if (options.continuation !== undefined && !options.continuation.startsWith(`${scope.path}?`)) {
      throw new AcrStreamingError('INVALID_INPUT', 'The paging token does not belong to this registry\'s repository list.');
    }
    const client = await this.sdk();
    let responses = 0;
    // The page the SDK read last (it adds its own api-version), to catch a link back to it.
    let readFrom = '';
    try {
      const pages = client
        .listRepositoryNames({
          abortSignal: options.signal,
          // The SDK follows the Link of a page without a repository list by itself, in a loop of its own.
          onResponse: (response) => {
            readFrom = response.request.url;
            if (++responses > MAX_SDK_PAGES_PER_CALL) {
              throw tooManyPagesError(scope, MAX_SDK_PAGES_PER_CALL);
            }
          },
        })
        .byPage({ maxPageSize: pageSize(options), continuationToken: options.continuation });
      const { value } = await pages.next();
      void pages.return?.(undefined);
      const items: string[] = value ? [...new Set<string>(value)] : [];
      const token = value?.continuationToken || undefined;
      return { items, continuation: token === undefined ? undefined : this.nextCursor(token, readFrom, scope) };
    } catch (error) {
      throw error instanceof PagingError ? error : this.sdkError(error, `Listing the repositories of ${this.loginServer}`);
    }
  }

  async getRepository(repository: string, options: RequestOptions = {}): Promise<RepositoryInfo> {
    const repo = validateRepository(repository);
    const client = await this.sdk();
    try {
      const properties = await client.getRepository(repo).getProperties({ abortSignal: options.signal });
      return {
        name: properties.name,
        createdTime: properties.createdOn?.toISOString(),
        lastUpdateTime: properties.lastUpdatedOn?.toISOString(),
        manifestCount: properties.manifestCount,
        tagCount: properties.tagCount,
      };
    } catch (error) {
      throw this.sdkError(error, `Reading repository ${repo}`);
    }
  }

  async listTags(repository: string, options: PageOptions = {}): Promise<Page<TagInfo>> {
    const repo = validateRepository(repository);
    const scope = this.linkScope(`/acr/v1/${repo}/_tags`, `the tags of ${repo}`);
    const path = options.continuation ?? `${scope.path}?n=${pageSize(options)}&orderby=timedesc`;
    if (!path.startsWith(`${scope.path}?`)) {
      throw new AcrStreamingError('INVALID_INPUT', 'The paging token does not belong to this repository.');
    }
    const what = `Listing the tags of ${repo}`;
    const reply = await this.http.send({ method: 'GET', path, what, signal: options.signal });
    const body = validateReply(tagListSchema, reply, what, this.loginServer);
    const items = uniqueBy(
      (body.tags ?? []).map((t) => ({ name: t.name, digest: t.digest, createdTime: t.createdTime, lastUpdateTime: t.lastUpdateTime })),
      (t) => t.name,
    );
    const next = nextLink(reply, scope);
    return { items, continuation: next === undefined ? undefined : this.nextCursor(next, path, scope) };
  }

  async resolveDigest(repository: string, tagOrDigest: string, options: RequestOptions = {}): Promise<string> {
    const repo = validateRepository(repository);
    if (tagOrDigest.includes(':')) {
      if (!isValidDigest(tagOrDigest)) {
        throw new AcrStreamingError('INVALID_INPUT', `${quoteInput(tagOrDigest)} is not a valid digest.`);
      }
      return tagOrDigest;
    }
    if (!isValidTag(tagOrDigest)) {
      throw new AcrStreamingError('INVALID_INPUT', `${quoteInput(tagOrDigest)} is not a valid tag.`);
    }
    const what = `Reading tag ${repo}:${tagOrDigest}`;
    const reply = await this.http.send({ method: 'GET', path: `/acr/v1/${repo}/_tags/${tagOrDigest}`, what, signal: options.signal });
    return validateReply(singleTagSchema, reply, what, this.loginServer).tag.digest;
  }

  async getManifest(repository: string, tagOrDigest: string, options: RequestOptions = {}): Promise<ManifestSummary> {
    const repo = validateRepository(repository);
    const reference = tagOrDigest.includes(':') ? tagOrDigest : tagOrDigest;
    if (!(isValidDigest(reference) || isValidTag(reference))) {
      throw new AcrStreamingError('INVALID_INPUT', `${quoteInput(reference)} is neither a tag nor a digest.`);
    }
    const what = `Reading the manifest of ${repo}${reference.includes(':') ? '@' : ':'}${reference}`;
    const reply = await this.http.send({
      method: 'GET',
      path: `/v2/${repo}/manifests/${reference}`,
      headers: { Accept: `${MANIFEST_ACCEPT}, ${ARTIFACT_MANIFEST_TYPE}` },
      what,
      signal: options.signal,
    });
    const digest = this.checkedDigest(reply, reference, what);
    const body = validateReply(manifestSchema, reply, what, this.loginServer);
    const mediaType = body.mediaType ?? (reply.headers.get('content-type') ?? '').split(';')[0].trim();
    const summary: ManifestSummary = {
      digest,
      mediaType,
      artifactType: body.artifactType ?? undefined,
      configMediaType: body.config?.mediaType,
      manifests: body.manifests?.map(toDescriptor),
      subject: body.subject ? toDescriptor(body.subject) : undefined,
      annotations: body.annotations,
      size: body.config ? body.config.size + (body.layers ?? []).reduce((sum, layer) => sum + layer.size, 0) : undefined,
    };
    if (!INDEX_MEDIA_TYPES.includes(mediaType) && body.config && isImageConfig(body.config.mediaType)) {
      summary.platform = await this.platformOf(repo, digest, body.config.digest, options);
    }
    return summary;
  }

  async deleteTag(repository: string, tag: string, options: RequestOptions = {}): Promise<void> {
    const repo = validateRepository(repository);
    if (!isValidTag(tag)) {
      throw new InvalidInputError('tag', `${quoteInput(tag)} is not a valid tag.`, 'Tags are up to 128 letters, digits, "_", "." and "-", and do not start with "." or "-".');
    }
    await this.sendDelete(`/acr/v1/${repo}/_tags/${tag}`, `Deleting tag ${repo}:${tag}`, options);
  }

  async deleteManifest(repository: string, digest: string, options: RequestOptions = {}): Promise<void> {
    const repo = validateRepository(repository);
    const checked = validateDigest(digest);
    await this.sendDelete(`/v2/${repo}/manifests/${checked}`, `Deleting ${repo}@${checked}`, options);
  }

  /**
   * DELETE is idempotent, so it goes through the retrying pipeline. A 404 on the first attempt
   * means the name is wrong and is reported; a 404 after a retry means an earlier attempt
   * landed but its reply was lost, so the thing is already gone.
   */
  private async sendDelete(path: string, what: string, options: RequestOptions): Promise<void> {
    const reply = await this.http.send({ method: 'DELETE', path, what, okStatuses: [200, 202, 204, 404], signal: options.signal });
    if (reply.status === 404 && (reply.attempts ?? 1) <= 1) {
      throw errorFromReply(reply, what, this.loginServer);
    }
  }

  /** The image's platform: ACR's manifest attributes where present, else the config blob. */
  private async platformOf(repo: string, digest: string, configDigest: string, options: RequestOptions): Promise<Platform | undefined> {
    const attributes = await this.http.send({ method: 'GET', path: `/acr/v1/${repo}/_manifests/${digest}`, what: `Reading the attributes of ${repo}@${digest}`, okStatuses: [200, 404], signal: options.signal });
    if (attributes.status === 200) {
      const parsed = manifestAttributesSchema.safeParse(safeJson(attributes.bodyText));
      if (parsed.success && parsed.data.manifest.os && parsed.data.manifest.architecture) {
        return { os: parsed.data.manifest.os, architecture: parsed.data.manifest.architecture };
      }
    }
    const what = `Reading the configuration of ${repo}@${digest}`;
    const reply = await this.http.send({ method: 'GET', path: `/v2/${repo}/blobs/${configDigest}`, what, signal: options.signal });
    const config = imageConfigSchema.safeParse(safeJson(reply.bodyText));
    return config.success ? { os: config.data.os, architecture: config.data.architecture, variant: config.data.variant } : undefined;
  }

  /** The digest of what was received; for a digest reference, it must be the one asked for. */
  private checkedDigest(reply: HttpReply, reference: string, what: string): string {
    const computed = `sha256:${createHash('sha256').update(reply.bodyText, 'utf8').digest('hex')}`;
    if (reference.startsWith('sha256:') && computed !== reference) {
      throw new AcrStreamingError('INVALID_RESPONSE', `${what}: the content does not match its digest.`, { hint: 'The registry or a proxy altered the manifest; do not trust this image.' });
    }
    const header = reply.headers.get('docker-content-digest');
    if (reference.includes(':')) {
      return reference;
    }
    return header && isValidDigest(header) ? header : computed;
  }


  private linkScope(path: string, what: string): LinkScope {
    return { host: this.loginServer, what, origin: this.endpoint.baseUrl, path };
  }

  /**
   * The next page's cursor (path and query), checked: it stays on the registry and the listing,
   * and is not the page just read. Longer cycles are caught by whoever follows the pages.
   */
  private nextCursor(link: string, current: string, scope: LinkScope): string {
    const url = checkedLink(link, scope);
    const next = `${url.pathname}${url.search}`;
    if (normalizeCursor(next, scope.origin) === normalizeCursor(current, scope.origin)) {
      throw repeatedPageError(scope, 1);
    }
    return next;
  }

  /** The SDK client, loaded on first use: it is large and most sessions need only a part of it. */
  private sdk(): Promise<SdkClient> {
    this.sdkClient ??= import('@azure/container-registry').then(({ ContainerRegistryClient }) => {
      const { transport, auth } = this.sdkOptions;
      const client = new ContainerRegistryClient(this.endpoint.baseUrl, {
        additionalPolicies: [{ policy: auth, position: 'perRetry' }],
        retryOptions: { maxRetries: transport.maxRetries, retryDelayInMs: transport.retryDelayMs },
        userAgentOptions: { userAgentPrefix: transport.userAgent },
        // Only URLs given with http:// get here over HTTP (a local registry); login servers are HTTPS.
        allowInsecureConnection: this.endpoint.baseUrl.startsWith('http:'),
      }) as unknown as SdkClient; // the ESM and CJS typings of the package are the same class
      removeSdkBearerPolicy(client);
      useSdkRetry(client, transport);
      return client;
    });
    return this.sdkClient as Promise<SdkClient>;
  }

  private sdkError(error: unknown, what: string): AcrStreamingError {
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number') {
      const response = (error as { response?: { bodyAsText?: string; headers?: { get(name: string): string | undefined } } }).response;
      return errorFromReply({ status, bodyText: response?.bodyAsText ?? undefined, retryAfterMs: parseRetryAfter(response?.headers?.get('retry-after')) }, what, this.loginServer);
    }
    const converted = toAcrStreamingError(error);
    return converted.code === 'NETWORK' ? new AcrStreamingError('NETWORK', `${what} failed: ${converted.message}`, { hint: converted.hint, cause: error }) : converted;
  }
}

/**
 * Even an anonymous SDK client carries its own bearer-token policy (for anonymous pull tokens),
 * which refuses plain-HTTP registries and would answer challenges a second way. Our policy,
 * added to the same pipeline, does all authentication, so the SDK's is removed. The pipeline is
 * reached through the client's `client` field (1.1.x; the version is pinned); should it move, the
 * SDK's policy simply stays, which still works for HTTPS registries.
 */
function removeSdkBearerPolicy(client: SdkClient): void {
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(options: { name: string }): unknown } } }).client?.pipeline;
  pipeline?.removePolicy({ name: bearerTokenAuthenticationPolicyName });
}

/** The core's retry (Retry-After cap, reads retried after a body broke off) in place of the SDK's. */
function useSdkRetry(client: SdkClient, transport: TransportOptions): void {
  const pipeline = (client as unknown as { client?: { pipeline?: Parameters<typeof useCoreRetry>[0] } }).client?.pipeline;
  if (pipeline) {
    useCoreRetry(pipeline, transport);
  }
}

function pageSize(options: PageOptions): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE)));
}

/** The first entry of each key: a page that lists a name twice shows it once. */
function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

function isImageConfig(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociImageConfig || mediaType === MEDIA_TYPES.dockerImageConfig;
}

function toDescriptor(d: { mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string>; platform?: Platform }): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, artifactType: d.artifactType, annotations: d.annotations, platform: d.platform };
}

