import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { AzureCatalog } from '../../../src/azure/azureCatalog';
import { discoveredEndpoint, RegistryCredentialSource } from '../../../src/azure/registryCredentialSource';
import { AZURE_CLOUDS, parseCustomCloud, type AzureCloud } from '../../../src/core/azure/clouds';
import { DEFAULT_ENTRA_SCOPE } from '../../../src/core/auth/credentials';
import { AcrStreamingError } from '../../../src/core/errors';
import { parseRegistry } from '../../../src/core/reference';
import { RegistryStore } from '../../../src/services/registryStore';
import { azureRegistry, FakeArm, SUB_A, subscription, TENANT_1, TENANT_2, TenantCredential } from './azureFakes';
import { MemorySecrets, MemoryState, RecordingLogger } from './fakes';

const LOCAL_ARM = parseCustomCloud({ name: 'Emulator', resourceManagerEndpoint: 'http://127.0.0.1:1234', authenticationProvider: 'acr-streaming-test' });

async function harness(cloud: AzureCloud = AZURE_CLOUDS.AzureCloud, discovered: string[] = [], workspace: string[] = []) {
  const store = new RegistryStore(new MemoryState(), new MemorySecrets(), () => ({ user: [], workspace: workspace }));
  const arm = new FakeArm();
  arm.registries.set(
    SUB_A,
    discovered.map((loginServer) => azureRegistry(loginServer.split('.')[0].replace(/[^a-z0-9]/g, ''), SUB_A, { loginServer })),
  );
  const catalog = new AzureCatalog({
    credential: (tenantId) => new TenantCredential(tenantId),
    cloud: () => cloud,
    filter: () => ({ selected: [] }),
    logger: new RecordingLogger(),
    userAgent: 'test',
    createClient: arm.createClient,
  });
  await catalog.registries(subscription(SUB_A, 'Prod', TENANT_2));
  const source = new RegistryCredentialSource(store, catalog, () => cloud);
  const entraCalls: Array<string | undefined> = [];
  const entraCredential = (tenantId?: string): TokenCredential => {
    entraCalls.push(tenantId);
    return new TenantCredential(tenantId);
  };
  return { store, catalog, source, entraCalls, entraCredential };
}

describe('registry credential source', () => {
  it("uses the store's credentials for a registry in the store: basic stays basic", async () => {
    const h = await harness(AZURE_CLOUDS.AzureCloud, ['both.azurecr.io']);
    await h.store.add(parseRegistry('both.azurecr.io'), { kind: 'basic', username: 'alice', password: 'p@ss' });
    const credentials = await h.source.resolveCredentials('both.azurecr.io', h.entraCredential);
    assert.deepEqual(credentials, { kind: 'basic', username: 'alice', password: 'p@ss' }, 'the stored sign-in wins over discovery');
    assert.deepEqual(h.entraCalls, []);
  });

  it("adds the cloud's exchange scope to a stored Entra sign-in", async () => {
    const h = await harness(AZURE_CLOUDS.AzureUSGovernment);
    await h.store.add(parseRegistry('gov.azurecr.us'), { kind: 'entra', tenantId: TENANT_1 });
    const credentials = await h.source.resolveCredentials('gov.azurecr.us', h.entraCredential);
    assert.equal(credentials.kind, 'entra');
    assert.ok(credentials.kind === 'entra');
    assert.equal(credentials.scope, 'https://management.usgovcloudapi.net/.default');
    assert.equal(credentials.tenantId, TENANT_1);
    assert.deepEqual(h.entraCalls, [TENANT_1]);
    assert.equal((credentials.credential as TenantCredential).tenantId, TENANT_1);

    const anonymous = await harness();
    await anonymous.store.add(parseRegistry('anon.example.io'), { kind: 'anonymous' });
    assert.deepEqual(await anonymous.source.resolveCredentials('anon.example.io', anonymous.entraCredential), { kind: 'anonymous' });
  });

  it("signs in to a registry found only through Azure with Entra, the subscription's tenant and the scope", async () => {
    const h = await harness(AZURE_CLOUDS.AzureCloud, ['found.azurecr.io']);
    const credentials = await h.source.resolveCredentials('found.azurecr.io', h.entraCredential);
    assert.ok(credentials.kind === 'entra', credentials.kind);
    assert.equal(credentials.tenantId, TENANT_2);
    assert.equal(credentials.scope, DEFAULT_ENTRA_SCOPE);
    assert.deepEqual(h.entraCalls, [TENANT_2]);
    assert.equal((credentials.credential as TenantCredential).tenantId, TENANT_2);
  });

  it('gives a registry only the workspace lists no token, unless Azure discovered it at that same address', async () => {
    const h = await harness(AZURE_CLOUDS.AzureCloud, ['found.azurecr.io'], ['found.azurecr.io', 'evil.example.com']);
    assert.deepEqual(await h.source.resolveCredentials('evil.example.com', h.entraCredential), { kind: 'anonymous' });
    assert.deepEqual(h.entraCalls, [], 'no Entra credential for a workspace registry');
    const found = await h.source.resolveCredentials('found.azurecr.io', h.entraCredential);
    assert.ok(found.kind === 'entra', found.kind);
    assert.deepEqual(h.entraCalls, [TENANT_2]);

    const moved = await harness(LOCAL_ARM, ['127.0.0.1:5001'], ['https://127.0.0.1:5001']);
    assert.deepEqual(await moved.source.resolveCredentials('127.0.0.1:5001', moved.entraCredential), { kind: 'anonymous' }, 'discovered over http, listed over https: not the same address');
    assert.deepEqual(moved.entraCalls, []);
  });

  it('refuses a registry that is neither stored nor discovered with INVALID_INPUT', async () => {
    const h = await harness(AZURE_CLOUDS.AzureCloud, ['found.azurecr.io']);
    await assert.rejects(
      h.source.resolveCredentials('unknown.azurecr.io', h.entraCredential),
      (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_INPUT' && /unknown\.azurecr\.io/.test(e.message) && /Add Registry|sign in/i.test(e.describe()),
    );
    assert.deepEqual(h.entraCalls, []);
    assert.equal(await h.source.endpointOf('unknown.azurecr.io'), undefined);
  });

  it("prefers the store's endpoint, else the discovered one", async () => {
    const h = await harness(LOCAL_ARM, ['127.0.0.1:5000', '127.0.0.1:5001']);
    await h.store.add(parseRegistry('https://127.0.0.1:5000'), { kind: 'anonymous' });
    assert.deepEqual(await h.source.endpointOf('127.0.0.1:5000'), { loginServer: '127.0.0.1:5000', baseUrl: 'https://127.0.0.1:5000' }, 'as added by hand');
    assert.deepEqual(await h.source.endpointOf('127.0.0.1:5001'), { loginServer: '127.0.0.1:5001', baseUrl: 'http://127.0.0.1:5001' }, 'as discovered');
  });

  it('looks a registry not discovered yet up in Azure (a conversion restored after a reload)', async () => {
    const h = await harness();
    // A fresh catalog: nothing expanded yet.
    const arm = new FakeArm();
    arm.tenants = [{ tenantId: TENANT_2, displayName: 'Fabrikam' }];
    arm.subscriptions.set(TENANT_2, [subscription(SUB_A, 'Prod', TENANT_2)]);
    arm.registries.set(SUB_A, [azureRegistry('later', SUB_A, { loginServer: 'later.azurecr.io' })]);
    const catalog = new AzureCatalog({
      credential: (tenantId) => new TenantCredential(tenantId),
      cloud: () => AZURE_CLOUDS.AzureCloud,
      filter: () => ({ selected: [] }),
      logger: new RecordingLogger(),
      userAgent: 'test',
      createClient: arm.createClient,
    });
    const source = new RegistryCredentialSource(h.store, catalog, () => AZURE_CLOUDS.AzureCloud);
    assert.equal(catalog.registryFor('later.azurecr.io'), undefined);
    assert.deepEqual(await source.endpointOf('later.azurecr.io'), { loginServer: 'later.azurecr.io', baseUrl: 'https://later.azurecr.io' });
    const credentials = await source.resolveCredentials('later.azurecr.io', h.entraCredential);
    assert.ok(credentials.kind === 'entra' && credentials.tenantId === TENANT_2);
    assert.equal(await source.endpointOf('nowhere.azurecr.io'), undefined, 'searched every shown subscription, found nothing');
  });

  describe('discoveredEndpoint', () => {
    it('uses https for the real clouds, even for a loopback login server', () => {
      for (const cloud of Object.values(AZURE_CLOUDS)) {
        assert.deepEqual(discoveredEndpoint('myreg.azurecr.io', cloud), { loginServer: 'myreg.azurecr.io', baseUrl: 'https://myreg.azurecr.io' });
        assert.equal(discoveredEndpoint('127.0.0.1:5000', cloud).baseUrl, 'https://127.0.0.1:5000', cloud.name);
        assert.equal(discoveredEndpoint('localhost:5000', cloud).baseUrl, 'https://localhost:5000', cloud.name);
      }
    });

    it('uses http for a loopback registry listed by a loopback http Resource Manager (the emulator)', () => {
      assert.equal(discoveredEndpoint('127.0.0.1:5000', LOCAL_ARM).baseUrl, 'http://127.0.0.1:5000');
      assert.equal(discoveredEndpoint('localhost:5000', LOCAL_ARM).baseUrl, 'http://localhost:5000');
      const v6 = parseCustomCloud({ resourceManagerEndpoint: 'http://[::1]:1234' });
      assert.equal(discoveredEndpoint('[::1]:5000', v6).baseUrl, 'http://[::1]:5000');
    });

    it('uses https for a non-loopback registry listed by a loopback Resource Manager, and for an https one', () => {
      assert.equal(discoveredEndpoint('myreg.azurecr.io', LOCAL_ARM).baseUrl, 'https://myreg.azurecr.io');
      const httpsLocal = parseCustomCloud({ resourceManagerEndpoint: 'https://127.0.0.1:1234' });
      assert.equal(discoveredEndpoint('127.0.0.1:5000', httpsLocal).baseUrl, 'https://127.0.0.1:5000');
    });
  });
});
