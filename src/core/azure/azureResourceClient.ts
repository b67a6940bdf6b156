/**
 * Azure Resource Manager through the Azure SDKs: tenants and subscriptions
 * (`@azure/arm-resources-subscriptions`), container registries (`@azure/arm-containerregistry`).
 * The SDKs load on first use. Results are validated; a malformed registry or subscription is
 * logged and skipped, never allowed to fail a whole list.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest, type Pipeline } from '@azure/core-rest-pipeline';
import { AcrStreamingError, InvalidInputError } from '../errors';
import { safeJson } from '../http/replyJson';
import { redactingLogger, silentLogger, type Logger } from '../logger';
import { checkedLink, collectSdkPages } from '../paging';
import { adaptArmPipeline } from './armPipeline';
import { armError, armErrorFromReply } from './armErrors';
import { toRegistry, toSoftDeletePolicy, toSubscription, toTenant, type Checked } from './armResults';
import type { AzureCloud } from './clouds';
import type { AzureRegistry, AzureSubscription, AzureTenant, SoftDeletePolicy } from './models';
import { normalizeRegistryId, parseRegistryId } from './registryId';
import { quoteInput } from '../quoteInput';

// Typed from the dynamic import: the packages' ESM and CJS typings declare distinct classes.
type SubscriptionClient = InstanceType<Awaited<typeof import('@azure/arm-resources-subscriptions')>['SubscriptionClient']>;
type ContainerRegistryManagementClient = InstanceType<Awaited<typeof import('@azure/arm-containerregistry')>['ContainerRegistryManagementClient']>;

export interface AzureResourceApi {
  listTenants(options?: { signal?: AbortSignal }): Promise<AzureTenant[]>;
  /** Subscriptions visible to the credential's tenant (pass a credential bound to that tenant). */
  listSubscriptions(options?: { signal?: AbortSignal }): Promise<AzureSubscription[]>;
  listRegistries(subscriptionId: string, options?: { signal?: AbortSignal }): Promise<AzureRegistry[]>;
  getRegistry(registryId: string, options?: { signal?: AbortSignal }): Promise<AzureRegistry>;
  /**
   * Soft-delete policy (a preview property: read with a preview api-version through the same
   * client pipeline, raw JSON validated with zod); undefined when the service does not say.
   */
  getSoftDeletePolicy(registryId: string, options?: { signal?: AbortSignal }): Promise<SoftDeletePolicy | undefined>;
}

export interface AzureResourceClientOptions {
  logger?: Logger;
  userAgent?: string;
  /** Per-attempt timeout, ms. */
  timeoutMs?: number;
  /** Retries of the SDK's retry policy (its default: 3). */
  maxRetries?: number;
  /** First delay of the SDK's exponential backoff, ms (its default: 1000). */
  retryDelayMs?: number;
  /** Longest `Retry-After` waited out before a retry (default 60 s); a longer one fails with TOO_MANY_REQUESTS. */
  maxRetryAfterMs?: number;
}

/** The preview api-version whose registry reply carries `policies.softDeletePolicy`. */
export const SOFT_DELETE_API_VERSION = '2023-11-01-preview';
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MAX_ITEMS = 10_000;
const MAX_PAGES = 500;

/** What `byPage()` of an ARM SDK listing gives, and how that SDK names a page's next link. */
interface SdkListing {
  byPage(): AsyncIterator<unknown[]>;
}
/** The options every SDK listing takes; `onResponse` tells which URL the SDK read first. */
interface ListOptions {
  abortSignal?: AbortSignal;
  onResponse?: (response: { request: { url: string } }) => void;
}
type TokenOf = (page: unknown) => string | undefined;

export function createAzureResourceClient(credential: TokenCredential, cloud: AzureCloud, options: AzureResourceClientOptions = {}): AzureResourceApi {
  return new AzureResourceClient(credential, cloud, options);
}

class AzureResourceClient implements AzureResourceApi {
  private readonly logger: Logger;
  private readonly clientOptions: Record<string, unknown>;
  private subscriptionClient?: Promise<SubscriptionClient>;
  private readonly registryClients = new Map<string, Promise<ContainerRegistryManagementClient>>();

  constructor(
    private readonly credential: TokenCredential,
    private readonly cloud: AzureCloud,
    private readonly options: AzureResourceClientOptions,
  ) {
    this.logger = redactingLogger(options.logger ?? silentLogger);
    const endpoint = cloud.resourceManagerEndpoint;
    this.clientOptions = {
      endpoint,
      $host: endpoint,
      credentialScopes: [cloud.managementScope],
      userAgentOptions: { userAgentPrefix: options.userAgent ?? 'acr-artifact-streaming' },
      retryOptions: { maxRetries: options.maxRetries, retryDelayInMs: options.retryDelayMs },
      // Our bearer policy still refuses http anywhere but on a loopback host.
      allowInsecureConnection: endpoint.startsWith('http:'),
    };
  }

  async listTenants(options: { signal?: AbortSignal } = {}): Promise<AzureTenant[]> {
    const what = 'Listing your Azure tenants';
    try {
      const client = await this.subscriptions();
      const tokenOf = (await import('@azure/arm-resources-subscriptions')).getContinuationToken;
      return await this.collect((o) => client.tenants.list(o), tokenOf, { path: '/tenants', what: 'your tenants', kind: 'tenant' }, toTenant, options.signal);
    } catch (error) {
      throw armError(error, what, this.cloud.resourceManagerEndpoint);
    }
  }

  async listSubscriptions(options: { signal?: AbortSignal } = {}): Promise<AzureSubscription[]> {
    const what = 'Listing your Azure subscriptions';
    try {
      const client = await this.subscriptions();
      const tokenOf = (await import('@azure/arm-resources-subscriptions')).getContinuationToken;
      return await this.collect((o) => client.subscriptions.list(o), tokenOf, { path: '/subscriptions', what: 'your subscriptions', kind: 'subscription' }, toSubscription, options.signal);
    } catch (error) {
      throw armError(error, what, this.cloud.resourceManagerEndpoint);
    }
  }

  async listRegistries(subscriptionId: string, options: { signal?: AbortSignal } = {}): Promise<AzureRegistry[]> {
    if (typeof subscriptionId !== 'string' || !GUID_RE.test(subscriptionId)) {
      throw new InvalidInputError('subscriptionId', `${quoteInput(subscriptionId)} is not a subscription id.`, 'A subscription id is a GUID.');
    }
    const what = `Listing the container registries of subscription ${subscriptionId}`;
    try {
      const client = await this.registries(subscriptionId);
      const tokenOf = (await import('@azure/arm-containerregistry')).getContinuationToken;
      const listing = {
        path: `/subscriptions/${subscriptionId}/providers/Microsoft.ContainerRegistry/registries`,
        what: `the container registries of subscription ${subscriptionId}`,
        kind: 'registry',
      };
      return await this.collect((o) => client.registries.list(o), tokenOf, listing, toRegistry, options.signal);
    } catch (error) {
      throw armError(error, what, this.cloud.resourceManagerEndpoint);
    }
  }

  async getRegistry(registryId: string, options: { signal?: AbortSignal } = {}): Promise<AzureRegistry> {
    const parts = parseRegistryId(registryId);
    const what = `Reading registry ${parts.name}`;
    let raw: unknown;
    try {
      const client = await this.registries(parts.subscriptionId);
      raw = await client.registries.get(parts.resourceGroup, parts.name, { abortSignal: options.signal });
    } catch (error) {
      throw armError(error, what, this.cloud.resourceManagerEndpoint);
    }
    return this.checked(toRegistry(raw), what);
  }

  async getSoftDeletePolicy(registryId: string, options: { signal?: AbortSignal } = {}): Promise<SoftDeletePolicy | undefined> {
    const parts = parseRegistryId(registryId);
    const what = `Reading the soft-delete policy of registry ${parts.name}`;
    const url = `${this.cloud.resourceManagerEndpoint}${normalizeRegistryId(registryId)}?api-version=${SOFT_DELETE_API_VERSION}`;
    let status: number;
    let bodyText: string | undefined;
    let headers: { get(name: string): string | undefined };
    try {
      // The preview property is not in the SDK's model: a raw request through the same pipeline.
      const client = await this.registries(parts.subscriptionId);
      const response = await client.sendRequest(
        createPipelineRequest({ url, method: 'GET', abortSignal: options.signal, allowInsecureConnection: url.startsWith('http:') }),
      );
      status = response.status;
      bodyText = response.bodyAsText ?? undefined;
      headers = { get: (name) => response.headers.get(name) };
    } catch (error) {
      throw armError(error, what, this.cloud.resourceManagerEndpoint);
    }
    if (status < 200 || status >= 300) {
      throw armErrorFromReply({ status, bodyText, headers }, what);
    }
    return this.checked(toSoftDeletePolicy(safeJson(bodyText ?? '')), what);
  }

  private checked<T>(result: Checked<T>, what: string): T {
    if (!result.ok) {
      throw new AcrStreamingError('INVALID_RESPONSE', `${what}: Azure Resource Manager's reply has an unexpected shape (${result.reason}).`, {
        hint: 'The service may have changed; see the log for details.',
      });
    }
    return result.value;
  }

  /**
   * Every page of an SDK listing, keeping the items that validate, each once. The SDK follows
   * `nextLink` itself; each link is checked before it may (same origin and path, not a page
   * already read), so a service that loops or points elsewhere ends the listing with an error.
   */
  private async collect<T>(
    list: (options: ListOptions) => SdkListing,
    tokenOf: TokenOf,
    what: { path: string; what: string; kind: string },
    check: (raw: unknown) => Checked<T>,
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    const scope = { host: new URL(this.cloud.resourceManagerEndpoint).host, what: what.what, origin: this.cloud.resourceManagerEndpoint, path: what.path, caseInsensitive: true };
    let firstUrl: string | undefined;
    const listing = list({ abortSignal: signal, onResponse: (response) => (firstUrl ??= response.request.url) });
    const raws = await collectSdkPages(listing.byPage(), tokenOf, (token) => checkedLink(token, scope), {
      ...scope,
      base: scope.origin,
      first: () => firstUrl,
      key: armIdentity,
      maxPages: MAX_PAGES,
      maxItems: MAX_ITEMS,
      signal,
    });
    const kept: T[] = [];
    for (const raw of raws) {
      const result = check(raw);
      if (result.ok) {
        kept.push(result.value);
      } else {
        this.logger.warn(`Skipping a malformed ${what.kind} from Azure Resource Manager (${result.reason}).`);
      }
    }
    return kept;
  }

  private subscriptions(): Promise<SubscriptionClient> {
    this.subscriptionClient ??= import('@azure/arm-resources-subscriptions').then(({ SubscriptionClient }) => {
      const client = new SubscriptionClient(this.credential, this.clientOptions);
      this.adapt(client.pipeline);
      return client as unknown as SubscriptionClient;
    });
    return this.subscriptionClient;
  }

  private registries(subscriptionId: string): Promise<ContainerRegistryManagementClient> {
    let client = this.registryClients.get(subscriptionId);
    if (!client) {
      client = import('@azure/arm-containerregistry').then(({ ContainerRegistryManagementClient }) => {
        const created = new ContainerRegistryManagementClient(this.credential, subscriptionId, this.clientOptions);
        this.adapt(created.pipeline);
        return created as unknown as ContainerRegistryManagementClient;
      });
      this.registryClients.set(subscriptionId, client);
    }
    return client;
  }

  private adapt(pipeline: Pipeline): void {
    adaptArmPipeline(pipeline, {
      credential: this.credential,
      scope: this.cloud.managementScope,
      endpoint: this.cloud.resourceManagerEndpoint,
      logger: this.logger,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      maxRetries: this.options.maxRetries,
      retryDelayMs: this.options.retryDelayMs,
      maxRetryAfterMs: this.options.maxRetryAfterMs,
    });
  }
}

/** ARM resources carry an `id`; anything else is told apart by its whole content. */
function armIdentity(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.toLowerCase() : JSON.stringify(raw);
}
