import * as assert from 'node:assert/strict';
import { AzureCatalog } from '../../../src/azure/azureCatalog';
import { AZURE_CLOUDS } from '../../../src/core/azure/clouds';
import { AcrStreamingError } from '../../../src/core/errors';
import type { SubscriptionFilter } from '../../../src/services/subscriptionFilter';
import { azureRegistry, deferred, FakeArm, SUB_A, SUB_B, SUB_C, subscription, TENANT_1, TENANT_2, TenantCredential } from './azureFakes';
import { RecordingLogger } from './fakes';

function harness() {
  const arm = new FakeArm();
  const logger = new RecordingLogger();
  let filter: SubscriptionFilter = { selected: [] };
  const credentialsFor: Array<string | undefined> = [];
  const catalog = new AzureCatalog({
    credential: (tenantId) => {
      credentialsFor.push(tenantId);
      return new TenantCredential(tenantId);
    },
    cloud: () => AZURE_CLOUDS.AzureCloud,
    filter: () => filter,
    logger,
    userAgent: 'test',
    createClient: arm.createClient,
  });
  return { arm, logger, catalog, credentialsFor, setFilter: (f: SubscriptionFilter) => (filter = f) };
}

/** Two tenants: T1 with subscriptions "Zulu" (A) and "alpha" (B), T2 with "Mike" (C). */
function twoTenants(h: ReturnType<typeof harness>): void {
  h.arm.tenants = [
    { tenantId: TENANT_1, displayName: 'Contoso' },
    { tenantId: TENANT_2, displayName: 'Fabrikam' },
  ];
  h.arm.subscriptions.set(TENANT_1, [subscription(SUB_A, 'Zulu', TENANT_1), subscription(SUB_B, 'alpha', TENANT_1)]);
  // ARM may spell ids in upper case; the filter compares them lower-cased.
  h.arm.subscriptions.set(TENANT_2, [subscription(SUB_C.toUpperCase(), 'Mike', TENANT_2.toUpperCase())]);
}

describe('Azure catalog', () => {
  it('lists tenants with the home credential and each tenant’s subscriptions with that tenant’s credential', async () => {
    const h = harness();
    twoTenants(h);
    const listing = await h.catalog.subscriptionListing();
    assert.equal(h.arm.clientsFor[0], undefined, 'tenants are listed with the home-tenant credential');
    assert.deepEqual(h.arm.clientsFor.slice(1).sort(), [TENANT_1, TENANT_2]);
    assert.ok(h.arm.requests.includes('home listTenants'));
    assert.ok(h.arm.requests.includes(`${TENANT_1} listSubscriptions`));
    assert.ok(h.arm.requests.includes(`${TENANT_2} listSubscriptions`));
    assert.ok(!h.arm.requests.includes('home listSubscriptions'));
    assert.deepEqual(listing.all.map((s) => s.subscriptionId.toLowerCase()).sort(), [SUB_A, SUB_B, SUB_C].sort());
    assert.deepEqual(
      listing.tenants.map((t) => t.tenantId),
      [TENANT_1, TENANT_2],
    );
    assert.deepEqual(listing.failedTenants, []);
  });

  it('keeps one ARM client per tenant across listings, and makes new ones after clear()', async () => {
    const h = harness();
    twoTenants(h);
    await h.catalog.subscriptionListing();
    const [sub] = await h.catalog.shownSubscriptions();
    await h.catalog.registries(sub);
    assert.equal(h.arm.clientsFor.length, 3, 'home, T1, T2: the registries of a T1 subscription reuse the T1 client');
    h.catalog.clear();
    await h.catalog.subscriptionListing();
    assert.equal(h.arm.clientsFor.length, 6, 'a sign-out or cloud change drops the clients and their tokens');
  });

  it('shows the subscriptions the filter lets through, sorted by name', async () => {
    const h = harness();
    twoTenants(h);
    assert.deepEqual(
      (await h.catalog.shownSubscriptions()).map((s) => s.displayName),
      ['alpha', 'Mike', 'Zulu'],
    );
    // Filter keys are lower-cased tenant/subscription pairs; Mike's upper-case ids still match.
    h.setFilter({ selected: [`${TENANT_1}/${SUB_A}`, `${TENANT_2}/${SUB_C}`] });
    assert.deepEqual(
      (await h.catalog.shownSubscriptions()).map((s) => s.displayName),
      ['Mike', 'Zulu'],
    );
    // A subscription id under the wrong tenant does not match.
    h.setFilter({ selected: [`${TENANT_2}/${SUB_A}`] });
    assert.deepEqual(await h.catalog.shownSubscriptions(), []);
  });

  it('puts a tenant whose listing fails into failedTenants and still lists the others', async () => {
    const h = harness();
    twoTenants(h);
    h.arm.subscriptions.set(TENANT_2, new AcrStreamingError('UNAUTHORIZED', 'Tenant Fabrikam needs a separate sign-in.', { hint: 'Sign in again.' }));
    const listing = await h.catalog.subscriptionListing();
    assert.deepEqual(listing.all.map((s) => s.displayName).sort(), ['Zulu', 'alpha'].sort());
    assert.equal(listing.failedTenants.length, 1);
    assert.equal(listing.failedTenants[0].tenant.tenantId, TENANT_2);
    assert.match(listing.failedTenants[0].reason, /separate sign-in/);
    assert.equal(listing.failedTenants[0].signInNeeded, true, 'a 401 means a sign-in to that tenant would help');
    assert.ok(h.logger.lines.some((l) => l.startsWith('warn ') && l.includes('Fabrikam')));
  });

  it('does not offer a tenant sign-in when its listing failed for another reason', async () => {
    const h = harness();
    twoTenants(h);
    h.arm.subscriptions.set(TENANT_2, new AcrStreamingError('SERVER_ERROR', 'ARM answered 503.'));
    const listing = await h.catalog.subscriptionListing();
    assert.equal(listing.failedTenants[0].signInNeeded, false);
  });

  it('rejects with the first error when every tenant fails', async () => {
    const h = harness();
    twoTenants(h);
    const first = new AcrStreamingError('DENIED', 'first tenant refused');
    h.arm.subscriptions.set(TENANT_1, first);
    h.arm.subscriptions.set(TENANT_2, new AcrStreamingError('NETWORK', 'second tenant unreachable'));
    await assert.rejects(h.catalog.subscriptionListing(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'DENIED' && e.message === 'first tenant refused');
  });

  it('returns an empty listing (no error) for an account with no tenants', async () => {
    const h = harness();
    const listing = await h.catalog.subscriptionListing();
    assert.deepEqual(listing, { all: [], tenants: [], failedTenants: [] });
  });

  it('caches the listing until clear(), and does not cache a failure', async () => {
    const h = harness();
    twoTenants(h);
    await h.catalog.subscriptionListing();
    const requests = h.arm.requests.length;
    await h.catalog.subscriptionListing();
    await h.catalog.shownSubscriptions();
    assert.equal(h.arm.requests.length, requests, 'the second call sends nothing');
    h.catalog.clear();
    await h.catalog.subscriptionListing();
    assert.equal(h.arm.requests.length, requests * 2, 'after clear() everything is asked again');

    const failing = harness();
    failing.arm.tenantsFailWith = new AcrStreamingError('NETWORK', 'offline');
    await assert.rejects(failing.catalog.subscriptionListing(), /offline/);
    failing.arm.tenantsFailWith = undefined;
    twoTenants(failing);
    const listing = await failing.catalog.subscriptionListing();
    assert.equal(listing.all.length, 3, 'the failure did not stick');
  });

  it('lists registries sorted by name with the subscription’s tenant, and indexes them by login server', async () => {
    const h = harness();
    const sub = subscription(SUB_A, 'Zulu', TENANT_1);
    h.arm.registries.set(SUB_A, [azureRegistry('zeta', SUB_A), azureRegistry('Alpha', SUB_A), azureRegistry('mid', SUB_A)]);
    assert.equal(h.catalog.registryFor('alpha.azurecr.io'), undefined, 'nothing is known before a listing');
    const found = await h.catalog.registries(sub);
    assert.deepEqual(
      found.map((f) => f.registry.name),
      ['Alpha', 'mid', 'zeta'],
    );
    assert.ok(found.every((f) => f.subscription === sub));
    assert.deepEqual(h.arm.clientsFor, [TENANT_1]);
    const requests = h.arm.requests.length;
    assert.equal(h.catalog.registryFor('ALPHA.AzureCR.io')?.registry.name, 'Alpha', 'case-insensitive');
    assert.equal(h.catalog.registryFor('zeta.azurecr.io')?.subscription.subscriptionId, SUB_A);
    assert.equal(h.catalog.registryFor('other.azurecr.io'), undefined);
    assert.equal(h.catalog.knownRegistries().length, 3);
    await h.catalog.registries(sub);
    assert.equal(h.arm.requests.length, requests, 'registryFor and a second listing send nothing');
    h.catalog.clear();
    assert.equal(h.catalog.registryFor('alpha.azurecr.io'), undefined, 'clear() forgets the index');
    await h.catalog.registries(sub);
    assert.equal(h.arm.requests.length, requests + 1);
  });

  it('does not cache a failed registry listing', async () => {
    const h = harness();
    const sub = subscription(SUB_A, 'Zulu', TENANT_1);
    h.arm.registries.set(SUB_A, new AcrStreamingError('DENIED', 'no access'));
    await assert.rejects(h.catalog.registries(sub), /no access/);
    h.arm.registries.set(SUB_A, [azureRegistry('one', SUB_A)]);
    assert.deepEqual(
      (await h.catalog.registries(sub)).map((f) => f.registry.name),
      ['one'],
    );
  });

  it('keeps the results of a listing that was in flight during clear() out of the index', async () => {
    const h = harness();
    const sub = subscription(SUB_A, 'Zulu', TENANT_1);
    h.arm.registries.set(SUB_A, [azureRegistry('stale', SUB_A)]);
    const gate = deferred<void>();
    h.arm.registriesGate = gate.promise;
    const pending = h.catalog.registries(sub);
    h.catalog.clear();
    gate.resolve();
    assert.equal((await pending).length, 1, 'the caller still gets its answer');
    assert.equal(h.catalog.registryFor('stale.azurecr.io'), undefined);
    assert.deepEqual(h.catalog.knownRegistries(), []);
    // A listing after the clear indexes again.
    h.arm.registriesGate = undefined;
    await h.catalog.registries(sub);
    assert.equal(h.catalog.registryFor('stale.azurecr.io')?.registry.name, 'stale');
  });

  it("reads the soft-delete policy with the registry's id and tenant", async () => {
    const h = harness();
    const sub = subscription(SUB_B, 'alpha', TENANT_2);
    const registry = azureRegistry('soft', SUB_B);
    h.arm.softDelete.set(registry.id, { enabled: true, retentionDays: 7 });
    const policy = await h.catalog.softDeletePolicy({ registry, subscription: sub });
    assert.deepEqual(policy, { enabled: true, retentionDays: 7 });
    assert.deepEqual(h.arm.requests, [`${TENANT_2} getSoftDeletePolicy ${registry.id}`]);
    assert.equal(await h.catalog.softDeletePolicy({ registry: azureRegistry('none', SUB_B), subscription: sub }), undefined);
  });
});
