import * as assert from 'node:assert/strict';
import { AZURE_CLOUDS, parseCustomCloud } from '../../../../src/core/azure/clouds';
import { registryPortalUrl, repositoryPortalUrl } from '../../../../src/core/azure/portalLinks';
import { normalizeRegistryId, parseRegistryId } from '../../../../src/core/azure/registryId';
import { InvalidInputError } from '../../../../src/core/errors';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const ID = `/subscriptions/${SUB}/resourceGroups/demo-rg/providers/Microsoft.ContainerRegistry/registries/streamingdemo`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('registry ids', () => {
  it('parses subscription, resource group and name', () => {
    assert.deepEqual(parseRegistryId(ID), { subscriptionId: SUB, resourceGroup: 'demo-rg', name: 'streamingdemo' });
  });

  it('accepts segment names in any case and a trailing slash, and normalises them', () => {
    const odd = `/SUBSCRIPTIONS/${SUB}/resourcegroups/Demo.RG(1)/PROVIDERS/microsoft.containerregistry/REGISTRIES/StreamingDemo/`;
    assert.deepEqual(parseRegistryId(odd), { subscriptionId: SUB, resourceGroup: 'Demo.RG(1)', name: 'StreamingDemo' });
    assert.equal(normalizeRegistryId(odd), `/subscriptions/${SUB}/resourceGroups/Demo.RG(1)/providers/Microsoft.ContainerRegistry/registries/StreamingDemo`);
  });

  const invalid: Array<[string, string]> = [
    ['an empty id', ''],
    ['a subscription that is not a GUID', `/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/streamingdemo`],
    ['another resource type', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/streamingdemo`],
    ['a registry name under 5 characters', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/abc`],
    ['a resource group ending in "."', `/subscriptions/${SUB}/resourceGroups/rg./providers/Microsoft.ContainerRegistry/registries/streamingdemo`],
    ['a resource group with a space', `/subscriptions/${SUB}/resourceGroups/r g/providers/Microsoft.ContainerRegistry/registries/streamingdemo`],
    ['a child resource', `${ID}/replications/westus`],
    ['a URL', `https://management.azure.com${ID}`],
  ];
  for (const [label, bad] of invalid) {
    it(`refuses ${label}`, () => {
      assert.throws(() => parseRegistryId(bad), (e: unknown) => e instanceof InvalidInputError && e.part === 'registryId');
    });
  }
});

describe('portal links', () => {
  it('links a registry overview with and without a tenant', () => {
    assert.equal(registryPortalUrl(AZURE_CLOUDS.AzureCloud, { id: ID }, TENANT), `https://portal.azure.com/#@${TENANT}/resource${ID}/overview`);
    assert.equal(registryPortalUrl(AZURE_CLOUDS.AzureChinaCloud, { id: ID }), `https://portal.azure.cn/#/resource${ID}/overview`);
    assert.equal(registryPortalUrl(AZURE_CLOUDS.AzureUSGovernment, { id: ID }, 'contoso.onmicrosoft.us'), `https://portal.azure.us/#@contoso.onmicrosoft.us/resource${ID}/overview`);
  });

  it('links the Repositories blade, validating the repository', () => {
    const custom = parseCustomCloud({ resourceManagerEndpoint: 'https://arm.example.com', portalUrl: 'https://portal.example.com/' });
    assert.equal(repositoryPortalUrl(custom, { id: ID }, TENANT, 'samples/hello'), `https://portal.example.com/#@${TENANT}/resource${ID}/repository`);
    assert.throws(() => repositoryPortalUrl(custom, { id: ID }, TENANT, 'Samples/../x'), (e: unknown) => e instanceof InvalidInputError && e.part === 'repository');
  });

  it('refuses invalid ids and tenants instead of building a link', () => {
    assert.throws(() => registryPortalUrl(AZURE_CLOUDS.AzureCloud, { id: '/subscriptions/x' }), (e: unknown) => e instanceof InvalidInputError && e.part === 'registryId');
    assert.throws(() => registryPortalUrl(AZURE_CLOUDS.AzureCloud, { id: ID }, 'evil/#x'), (e: unknown) => e instanceof InvalidInputError && e.part === 'tenantId');
  });
});
