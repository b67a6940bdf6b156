/**
 * The core's Azure Resource Manager client against real recorded ARM traffic: the registry
 * replies of the Azure CLI's artifact-streaming recording (test/fixtures/arm-registry.recording.json),
 * served on 127.0.0.1 through a custom cloud. The recording has no ARM error reply, so error
 * mapping is not tested here (see test/unit/core/azure/azureResourceClient.test.ts).
 */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { parseApiVersion } from '../../emulator/azure/apiVersion';
import { registryResource } from '../../emulator/azure/registryResource';
import type { AzureRegistryFixture } from '../../emulator/types';
import { createAzureResourceClient, SOFT_DELETE_API_VERSION, type AzureResourceApi } from '../../src/core/azure/azureResourceClient';
import { parseCustomCloud } from '../../src/core/azure/clouds';
import { registryStreamingBlockers } from '../../src/core/azure/registryPreflight';
import { loadArmRecording, startArmReplayServer, type ArmReplayServer, type RecordedArmInteraction } from './support/armReplayServer';

const REGISTRY_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001/providers/Microsoft.ContainerRegistry/registries/clireg000002';
const TOKEN = 'arm-contract-token';
const API_VERSION_RE = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

type Json = Record<string, unknown>;

/** Stands in for Microsoft Entra sign-in, which cannot run here. */
class FixedTokenCredential implements TokenCredential {
  scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

function recorded(method: string, status: number): RecordedArmInteraction {
  const found = loadArmRecording().interactions.find((i) => i.request.method === method && i.response.status === status && i.request.path.includes('/registries/'));
  assert.ok(found, `the recording has a ${method} ${status} of the registry`);
  return found;
}

const recordedGet = (): Json => recorded('GET', 200).response.body as Json;

describe('contract: recorded ARM registry traffic (Azure CLI recording)', () => {
  let server: ArmReplayServer;
  let credential: FixedTokenCredential;
  let client: AzureResourceApi;

  beforeEach(async () => {
    server = await startArmReplayServer();
    credential = new FixedTokenCredential();
    client = createAzureResourceClient(credential, parseCustomCloud({ resourceManagerEndpoint: server.baseUrl }), { maxRetries: 0, timeoutMs: 10_000 });
  });

  afterEach(async () => {
    await server.close();
  });

  it('getRegistry maps the recorded GET reply field by field', async () => {
    const body = recordedGet();
    const properties = body.properties as Json;
    const registry = await client.getRegistry(REGISTRY_ID);
    assert.deepEqual(registry, {
      id: REGISTRY_ID,
      name: body.name,
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'clitest.rg000001',
      location: body.location,
      sku: (body.sku as Json).name,
      loginServer: String(properties.loginServer).toLowerCase(),
      encryptionEnabled: (properties.encryption as Json).status === 'enabled',
      adminUserEnabled: properties.adminUserEnabled,
      anonymousPullEnabled: properties.anonymousPullEnabled,
    });
    // The recorded values themselves, so a change to the fixture cannot pass unnoticed.
    assert.equal(registry.name, 'clireg000002');
    assert.equal(registry.location, 'southcentralus');
    assert.equal(registry.sku, 'Premium');
    assert.equal(registry.loginServer, 'clireg000002.azurecr.io');
    assert.equal(registry.encryptionEnabled, false);
    assert.equal(registry.adminUserEnabled, false);
    assert.equal(registry.anonymousPullEnabled, false);
  });

  it('sends one GET of the registry id, with a bearer token and an api-version', async () => {
    await client.getRegistry(REGISTRY_ID);
    assert.equal(server.received.length, 1);
    const [request] = server.received;
    assert.equal(request.method, 'GET');
    assert.equal(request.path.toLowerCase(), REGISTRY_ID.toLowerCase());
    assert.equal(request.path, REGISTRY_ID);
    assert.equal(request.authorization, `Bearer ${TOKEN}`);
    assert.match(request.apiVersion ?? '', API_VERSION_RE);
    assert.equal(request.body, '');
    assert.deepEqual(credential.scopes, [`${server.baseUrl}/.default`]);
  });

  it('a registry as recorded (Premium, no customer-managed keys) has no streaming blockers', async () => {
    const registry = await client.getRegistry(REGISTRY_ID);
    assert.deepEqual(registryStreamingBlockers(registry), []);
  });

  it('getSoftDeletePolicy reads the recorded preview reply (softDeletePolicy disabled, 7 days)', async () => {
    const policies = (recordedGet().properties as Json).policies as Json;
    assert.deepEqual(policies.softDeletePolicy, { retentionDays: 7, lastUpdatedTime: '2025-04-28T03:53:36.1696218+00:00', status: 'disabled' });
    const policy = await client.getSoftDeletePolicy(REGISTRY_ID);
    assert.deepEqual(policy, { enabled: false, retentionDays: 7 });
    assert.equal(server.received.length, 1);
    const [request] = server.received;
    assert.equal(request.method, 'GET');
    assert.equal(request.path, REGISTRY_ID);
    assert.equal(request.apiVersion, SOFT_DELETE_API_VERSION);
    assert.match(SOFT_DELETE_API_VERSION, /-preview$/);
    assert.equal(request.authorization, `Bearer ${TOKEN}`);
  });

  it('keeps secrets out of the fixture', () => {
    const text = JSON.stringify(server.recording);
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{20,}/);
    assert.doesNotMatch(text, /MII[A-Za-z0-9+/_-]{40,}/);
    for (const interaction of server.recording.interactions) {
      for (const [name, value] of Object.entries(interaction.response.headers)) {
        if (/^https?:/.test(value)) {
          const params = new URL(value).searchParams;
          for (const secret of ['c', 's', 'h', 'sig', 'token']) {
            const found = params.get(secret);
            if (found !== null) {
              assert.equal(found, '<redacted>', `${secret}= in ${name}`);
            }
          }
        }
      }
      assert.equal(interaction.request.headers.Authorization, undefined);
    }
  });
});

describe('contract: the emulator registry resource has every key of the recorded one', () => {
  const body = recordedGet();
  const premium: AzureRegistryFixture = {
    name: 'clireg000002',
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'clitest.rg000001',
    location: 'southcentralus',
    sku: 'Premium',
    encryption: 'disabled',
    softDelete: { status: 'disabled', retentionDays: 7 },
    loginServer: 'clireg000002.azurecr.io',
    url: 'https://clireg000002.azurecr.io',
    id: REGISTRY_ID,
  };
  // The recording's api-version, so the preview-only softDeletePolicy is compared too.
  const emulated = registryResource(premium, parseApiVersion('2025-03-01-preview'), { anonymousPullEnabled: false, adminUserEnabled: false });

  const missing = (recordedPart: unknown, emulatedPart: unknown): string[] =>
    Object.keys(recordedPart as Json).filter((key) => !Object.prototype.hasOwnProperty.call(emulatedPart as Json, key));

  it('top-level keys', () => {
    assert.deepEqual(missing(body, emulated), []);
  });

  it('properties keys', () => {
    assert.deepEqual(missing(body.properties, emulated.properties), []);
  });

  it('sku, systemData and properties.policies keys', () => {
    assert.deepEqual(missing(body.sku, emulated.sku), []);
    assert.deepEqual(missing(body.systemData, emulated.systemData), []);
    const recordedPolicies = (body.properties as Json).policies as Json;
    const emulatedPolicies = (emulated.properties as Json).policies as Json;
    assert.deepEqual(missing(recordedPolicies, emulatedPolicies), []);
    for (const name of Object.keys(recordedPolicies)) {
      assert.deepEqual(missing(recordedPolicies[name], emulatedPolicies[name]), [], `policies.${name}`);
    }
  });
});
