/**
 * Azure Resource Manager discovery through the core against the emulator's ARM subset: tenants,
 * subscriptions per tenant, registries and their pre-flight, soft delete, failures. Skipped
 * when the emulator in this tree has no ARM endpoint (`armUrl`).
 */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createAzureResourceClient, type AzureResourceApi } from '../../../src/core/azure/azureResourceClient';
import { parseCustomCloud, type AzureCloud } from '../../../src/core/azure/clouds';
import type { AzureRegistry, AzureSubscription } from '../../../src/core/azure/models';
import { registryStreamingBlockers } from '../../../src/core/azure/registryPreflight';
import { AcrStreamingError } from '../../../src/core/errors';
import type { EmulatorHandle } from '../../../emulator';
import { startTestEmulator } from '../emulator/support/emulatorFixture';

/** The emulator handle with its ARM subset. */
interface ArmEmulator {
  armUrl: string;
  tenantId: string;
  issueEntraTestToken(options: { tenantId?: string; scopes?: string[] }): string | Promise<string>;
}

const fast = { maxRetries: 1, retryDelayMs: 20, timeoutMs: 10_000 };

describe('Azure discovery against the emulator', function () {
  this.timeout(120_000);
  let handle: EmulatorHandle;
  let arm: ArmEmulator;
  let cloud: AzureCloud;
  let fabrikamTenant: string;
  let contosoSubscriptions: AzureSubscription[];
  let contosoRegistries: AzureRegistry[];

  function credentialFor(tenantId: string): TokenCredential & { scopes: string[] } {
    const scopes: string[] = [];
    return {
      scopes,
      getToken: async (scope): Promise<AccessToken> => {
        const asked = Array.isArray(scope) ? scope : [scope];
        scopes.push(...asked);
        return { token: await arm.issueEntraTestToken({ tenantId, scopes: asked }), expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  }
  const client = (tenantId: string): AzureResourceApi => createAzureResourceClient(credentialFor(tenantId), cloud, fast);

  async function registriesOf(tenantId: string, subscriptions: AzureSubscription[]): Promise<AzureRegistry[]> {
    const api = client(tenantId);
    return (await Promise.all(subscriptions.map((s) => api.listRegistries(s.subscriptionId)))).flat();
  }

  before(async function () {
    handle = await startTestEmulator();
    if (!('armUrl' in handle)) {
      this.skip();
    }
    arm = handle as unknown as ArmEmulator;
    cloud = parseCustomCloud({ name: 'Emulator', resourceManagerEndpoint: arm.armUrl });
  });
  after(() => handle?.stop());

  it('lists both tenants', async () => {
    const tenants = await client(arm.tenantId).listTenants();
    assert.ok(tenants.some((t) => t.tenantId === arm.tenantId && /Contoso/.test(t.displayName ?? '')), JSON.stringify(tenants));
    const fabrikam = tenants.find((t) => /Fabrikam/.test(t.displayName ?? ''));
    assert.ok(fabrikam, JSON.stringify(tenants));
    assert.notEqual(fabrikam.tenantId, arm.tenantId);
    fabrikamTenant = fabrikam.tenantId;
  });

  it('lists only the subscriptions of the credential\'s tenant, with the management scope', async () => {
    const credential = credentialFor(arm.tenantId);
    contosoSubscriptions = await createAzureResourceClient(credential, cloud, fast).listSubscriptions();
    assert.deepEqual(contosoSubscriptions.map((s) => s.displayName).sort(), ['Contoso Production', 'Contoso Sandbox']);
    assert.ok(contosoSubscriptions.every((s) => s.tenantId === arm.tenantId));
    assert.deepEqual([...new Set(credential.scopes)], [cloud.managementScope]);
    const fabrikam = await client(fabrikamTenant).listSubscriptions();
    assert.deepEqual(fabrikam.map((s) => s.displayName), ['Fabrikam Dev']);
  });

  it('lists registries with what the pre-flight needs', async () => {
    contosoRegistries = await registriesOf(arm.tenantId, contosoSubscriptions);
    const byName = new Map(contosoRegistries.map((r) => [r.name, r]));
    for (const name of ['streamingdemo', 'standarddemo', 'cmkdemo']) {
      const registry = byName.get(name);
      assert.ok(registry, `${name} listed: ${[...byName.keys()].join()}`);
      assert.equal(registry.loginServer, registry.loginServer.toLowerCase());
      assert.ok(contosoSubscriptions.some((s) => s.subscriptionId === registry.subscriptionId));
      assert.ok(registry.id.includes(`/resourceGroups/${registry.resourceGroup}/`));
    }
    assert.ok(!byName.has('fabrikamacr'), 'another tenant\'s registry is not listed');
    assert.deepEqual(registryStreamingBlockers(byName.get('streamingdemo')!), []);
    assert.deepEqual(registryStreamingBlockers(byName.get('standarddemo')!).map((b) => b.code), ['SKU_NOT_PREMIUM']);
    assert.deepEqual(registryStreamingBlockers(byName.get('cmkdemo')!).map((b) => b.code), ['CUSTOMER_MANAGED_KEYS']);
  });

  it('gets one registry by id, as listed', async () => {
    const listed = contosoRegistries.find((r) => r.name === 'streamingdemo')!;
    assert.deepEqual(await client(arm.tenantId).getRegistry(listed.id), listed);
  });

  it('reads the soft-delete policy through a preview api-version', async () => {
    const listed = contosoRegistries.find((r) => r.name === 'streamingdemo')!;
    const policy = await client(arm.tenantId).getSoftDeletePolicy(listed.id);
    assert.ok(policy, 'the preview api-version carries the policy');
    assert.equal(typeof policy.enabled, 'boolean');
  });

  it('refuses another tenant\'s registry with a token of this tenant', async () => {
    const fabrikamSubscriptions = await client(fabrikamTenant).listSubscriptions();
    const [fabrikamacr] = (await registriesOf(fabrikamTenant, fabrikamSubscriptions)).filter((r) => r.name === 'fabrikamacr');
    assert.ok(fabrikamacr, 'fabrikamacr listed in its own tenant');
    await assert.rejects(
      client(arm.tenantId).getRegistry(fabrikamacr.id),
      (e: unknown) => e instanceof AcrStreamingError && ['UNAUTHORIZED', 'DENIED', 'NOT_FOUND'].includes(e.code),
    );
  });

  it('maps an invalid token to UNAUTHORIZED with "sign in again"', async () => {
    const garbage: TokenCredential = { getToken: async () => ({ token: 'not-a-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    await assert.rejects(
      createAzureResourceClient(garbage, cloud, fast).listSubscriptions(),
      (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED' && /Sign in/.test(e.hint ?? ''),
    );
  });

  it('maps a registry that does not exist to NOT_FOUND', async () => {
    const [subscription] = contosoSubscriptions;
    const missing = `/subscriptions/${subscription.subscriptionId}/resourceGroups/nowhere/providers/Microsoft.ContainerRegistry/registries/doesnotexist`;
    await assert.rejects(client(arm.tenantId).getRegistry(missing), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NOT_FOUND');
  });
});
