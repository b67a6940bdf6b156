/**
 * What the signed-in account can see in Azure Resource Manager: tenants, subscriptions and the
 * container registries in each, read on demand and kept until a refresh. The core's ARM client
 * (and the Azure SDKs under it) load on first use. No VS Code here.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureResourceApi } from '../core/azure/azureResourceClient';
import type { AzureCloud } from '../core/azure/clouds';
import type { AzureRegistry, AzureSubscription, AzureTenant, SoftDeletePolicy } from '../core/azure/models';
import { toAcrStreamingError, type AcrStreamingError } from '../core/errors';
import type { Logger } from '../core/logger';
import { PromiseCache } from '../services/promiseCache';
import { isSubscriptionShown, type SubscriptionFilter } from '../services/subscriptionFilter';

/** A registry found through ARM, with where it was found. */
export interface DiscoveredRegistry {
  readonly registry: AzureRegistry;
  readonly subscription: AzureSubscription;
}

export interface SubscriptionListing {
  /** Every subscription of every tenant that answered, filter not applied. */
  all: AzureSubscription[];
  tenants: AzureTenant[];
  /** Tenants whose subscriptions could not be read (e.g. they need a separate sign-in). */
  failedTenants: Array<{ tenant: AzureTenant; reason: string; signInNeeded: boolean }>;
}

export interface AzureCatalogOptions {
  credential(tenantId?: string): TokenCredential;
  cloud(): AzureCloud;
  filter(): SubscriptionFilter;
  logger: Logger;
  userAgent: string;
  /** Tests may pass their own; by default the core's ARM client, loaded on first use. */
  createClient?: (credential: TokenCredential, cloud: AzureCloud) => AzureResourceApi | Promise<AzureResourceApi>;
}

export class AzureCatalog {
  private readonly listing = new PromiseCache<'all', SubscriptionListing>();
  private readonly registriesBySubscription = new PromiseCache<string, DiscoveredRegistry[]>();
  private readonly byLoginServer = new Map<string, DiscoveredRegistry>();
  /** One ARM client per tenant ('' = home), so its token cache lasts across listings. */
  private readonly clients = new PromiseCache<string, AzureResourceApi>();
  private generation = 0;

  constructor(private readonly options: AzureCatalogOptions) {}

  /** Tenants and their subscriptions (cached until `clear`). */
  subscriptionListing(): Promise<SubscriptionListing> {
    return this.listing.get('all', () => this.loadSubscriptions());
  }

  /** The subscriptions the filter lets through, by name. */
  async shownSubscriptions(): Promise<AzureSubscription[]> {
    const { all } = await this.subscriptionListing();
    const filter = this.options.filter();
    return all.filter((s) => isSubscriptionShown(filter, s.tenantId, s.subscriptionId)).sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** The container registries of a subscription, by name (cached until `clear`). */
  registries(subscription: AzureSubscription): Promise<DiscoveredRegistry[]> {
    return this.registriesBySubscription.get(subscription.subscriptionId.toLowerCase(), async () => {
      const generation = this.generation;
      const found = await this.loadRegistries(subscription);
      // A clear() meanwhile (sign-out, cloud change) keeps this answer out of the index.
      if (generation === this.generation) {
        for (const entry of found) {
          this.byLoginServer.set(entry.registry.loginServer, entry);
        }
      }
      return found;
    });
  }

  /** A registry already discovered, by login server; never sends a request. */
  registryFor(loginServer: string): DiscoveredRegistry | undefined {
    return this.byLoginServer.get(loginServer.toLowerCase());
  }

  /**
   * A registry by login server, listing the shown subscriptions' registries until it turns up.
   * Undefined when none of them has it; rejects when Azure cannot be asked (signed out).
   */
  async findRegistry(loginServer: string): Promise<DiscoveredRegistry | undefined> {
    const known = this.registryFor(loginServer);
    if (known) {
      return known;
    }
    for (const subscription of await this.shownSubscriptions()) {
      // One subscription that cannot be read must not hide the registry in the next one.
      const found = (await this.registries(subscription).catch((): DiscoveredRegistry[] => [])).find(
        (entry) => entry.registry.loginServer === loginServer.toLowerCase(),
      );
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  /** Every registry discovered so far. */
  knownRegistries(): DiscoveredRegistry[] {
    return [...this.byLoginServer.values()];
  }

  /** The registry's soft-delete policy, read fresh; undefined when ARM does not say. */
  async softDeletePolicy(found: DiscoveredRegistry, signal?: AbortSignal): Promise<SoftDeletePolicy | undefined> {
    const client = await this.client(found.subscription.tenantId);
    return client.getSoftDeletePolicy(found.registry.id, { signal });
  }

  /** Forgets everything (sign-out, cloud change, refresh). */
  clear(): void {
    this.generation++;
    this.listing.clear();
    this.registriesBySubscription.clear();
    this.byLoginServer.clear();
    this.clients.clear();
  }

  private async loadSubscriptions(): Promise<SubscriptionListing> {
    const home = await this.client(undefined);
    const tenants = await home.listTenants();
    type TenantResult = { tenant: AzureTenant; subscriptions: AzureSubscription[] } | { tenant: AzureTenant; failure: AcrStreamingError };
    const results = await Promise.all(
      tenants.map(async (tenant): Promise<TenantResult> => {
        try {
          const client = await this.client(tenant.tenantId);
          return { tenant, subscriptions: await client.listSubscriptions() };
        } catch (error) {
          const failure = toAcrStreamingError(error);
          this.options.logger.warn(`Subscriptions of tenant ${tenant.displayName ?? tenant.tenantId} unavailable: ${failure.describe()}`);
          return { tenant, failure };
        }
      }),
    );
    const all: AzureSubscription[] = [];
    const failedTenants: SubscriptionListing['failedTenants'] = [];
    for (const result of results) {
      if ('subscriptions' in result) {
        all.push(...result.subscriptions);
      } else {
        failedTenants.push({ tenant: result.tenant, reason: result.failure.describe(), signInNeeded: result.failure.code === 'UNAUTHORIZED' });
      }
    }
    const firstFailure = results.find((result) => 'failure' in result);
    if (all.length === 0 && firstFailure && 'failure' in firstFailure && failedTenants.length === tenants.length) {
      throw firstFailure.failure; // nothing answered: show why instead of an empty list
    }
    return { all, tenants, failedTenants };
  }

  private async loadRegistries(subscription: AzureSubscription): Promise<DiscoveredRegistry[]> {
    const client = await this.client(subscription.tenantId);
    const registries = await client.listRegistries(subscription.subscriptionId);
    return registries.sort((a, b) => a.name.localeCompare(b.name)).map((registry) => ({ registry, subscription }));
  }

  private client(tenantId: string | undefined): Promise<AzureResourceApi> {
    return this.clients.get(tenantId ?? '', () => this.createClient(tenantId));
  }

  private async createClient(tenantId: string | undefined): Promise<AzureResourceApi> {
    const credential = this.options.credential(tenantId);
    const cloud = this.options.cloud();
    if (this.options.createClient) {
      return this.options.createClient(credential, cloud);
    }
    const { createAzureResourceClient } = await import('../core/azure/azureResourceClient.js');
    return createAzureResourceClient(credential, cloud, { logger: this.options.logger, userAgent: this.options.userAgent });
  }
}
