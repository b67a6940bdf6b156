import * as assert from 'node:assert/strict';
import { AZURE_CLOUDS, parseCustomCloud, resolveCloud } from '../../../../src/core/azure/clouds';
import { InvalidInputError } from '../../../../src/core/errors';

function rejectsWith(fn: () => unknown, part: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InvalidInputError && e.part === part && (!message || message.test(e.message)) && !!e.hint);
}

describe('Azure clouds', () => {
  it('describes the public, China and US Government clouds', () => {
    const { AzureCloud, AzureChinaCloud, AzureUSGovernment } = AZURE_CLOUDS;
    assert.equal(AzureCloud.resourceManagerEndpoint, 'https://management.azure.com');
    assert.equal(AzureCloud.managementScope, 'https://management.azure.com/.default');
    assert.equal(AzureCloud.registryExchangeScope, 'https://containerregistry.azure.net/.default');
    assert.equal(AzureCloud.authenticationProvider, 'microsoft');
    assert.equal(AzureCloud.sovereignEnvironment, undefined);
    assert.equal(AzureChinaCloud.registrySuffix, '.azurecr.cn');
    assert.equal(AzureChinaCloud.portalUrl, 'https://portal.azure.cn');
    assert.equal(AzureChinaCloud.sovereignEnvironment, 'ChinaCloud');
    assert.equal(AzureUSGovernment.registrySuffix, '.azurecr.us');
    assert.equal(AzureUSGovernment.sovereignEnvironment, 'USGovernment');
    for (const cloud of [AzureChinaCloud, AzureUSGovernment]) {
      assert.equal(cloud.authenticationProvider, 'microsoft-sovereign-cloud');
      // ACR's exchange accepts ARM tokens in the sovereign clouds.
      assert.equal(cloud.registryExchangeScope, cloud.managementScope);
      assert.equal(cloud.managementScope, `${cloud.resourceManagerEndpoint}/.default`);
      assert.ok(!cloud.resourceManagerEndpoint.endsWith('/'));
    }
  });

  it('resolves setting values, defaulting to the public cloud', () => {
    assert.equal(resolveCloud(undefined, undefined), AZURE_CLOUDS.AzureCloud);
    assert.equal(resolveCloud('', undefined), AZURE_CLOUDS.AzureCloud);
    assert.equal(resolveCloud('AzureUSGovernment', undefined), AZURE_CLOUDS.AzureUSGovernment);
    assert.equal(resolveCloud('azurechinacloud', undefined), AZURE_CLOUDS.AzureChinaCloud);
    assert.equal(resolveCloud('Custom', { resourceManagerEndpoint: 'https://arm.example.com' }).resourceManagerEndpoint, 'https://arm.example.com');
  });

  it('lists the valid names for an unknown cloud', () => {
    assert.throws(
      () => resolveCloud('AzureGermanCloud', undefined),
      (e: unknown) => e instanceof InvalidInputError && e.part === 'cloud' && /AzureCloud, AzureChinaCloud, AzureUSGovernment, Custom/.test(e.hint ?? ''),
    );
    assert.throws(() => resolveCloud(42, undefined), InvalidInputError);
  });

  describe('custom clouds', () => {
    it('fills defaults from the endpoint', () => {
      const cloud = parseCustomCloud({ name: 'Stack Hub', resourceManagerEndpoint: 'https://management.local.azurestack.external/' });
      assert.equal(cloud.name, 'Custom');
      assert.equal(cloud.displayName, 'Stack Hub');
      assert.equal(cloud.resourceManagerEndpoint, 'https://management.local.azurestack.external');
      assert.equal(cloud.managementScope, 'https://management.local.azurestack.external/.default');
      assert.equal(cloud.registryExchangeScope, cloud.managementScope);
      assert.equal(cloud.registrySuffix, '.azurecr.io');
      assert.equal(cloud.authenticationProvider, 'microsoft-sovereign-cloud');
      assert.equal(cloud.portalUrl, 'https://portal.azure.com');
    });

    it('keeps explicit values', () => {
      const cloud = parseCustomCloud({
        resourceManagerEndpoint: 'https://arm.example.com',
        managementScope: 'https://management.core.example.com//.default',
        registryExchangeScope: 'https://registry.example.com/.default',
        portalUrl: 'https://portal.example.com/',
        registrySuffix: '.CR.Example.com',
        authenticationProvider: 'my-provider',
      });
      assert.equal(cloud.displayName, 'Custom cloud');
      assert.equal(cloud.managementScope, 'https://management.core.example.com//.default');
      assert.equal(cloud.registryExchangeScope, 'https://registry.example.com/.default');
      assert.equal(cloud.portalUrl, 'https://portal.example.com');
      assert.equal(cloud.registrySuffix, '.cr.example.com');
      assert.equal(cloud.authenticationProvider, 'my-provider');
    });

    it('allows plain http only on loopback hosts', () => {
      for (const endpoint of ['http://127.0.0.1:8443', 'http://localhost:1234', 'http://[::1]:99']) {
        assert.equal(parseCustomCloud({ resourceManagerEndpoint: endpoint }).resourceManagerEndpoint, endpoint);
      }
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'http://arm.example.com' }), 'resourceManagerEndpoint', /must use https/);
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'http://127.0.0.2' }), 'resourceManagerEndpoint');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'ftp://arm.example.com' }), 'resourceManagerEndpoint');
    });

    it('names the bad field', () => {
      rejectsWith(() => parseCustomCloud({}), 'resourceManagerEndpoint', /no "resourceManagerEndpoint"/);
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'not a url' }), 'resourceManagerEndpoint', /not a URL/);
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com?x=1' }), 'resourceManagerEndpoint');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://u:p@a.example.com' }), 'resourceManagerEndpoint');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', managementScope: 'https://a.example.com' }), 'managementScope');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', registryExchangeScope: 'has space/.default' }), 'registryExchangeScope');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', portalUrl: 'http://portal.example.com' }), 'portalUrl');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', registrySuffix: 'azurecr.io' }), 'registrySuffix');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', authenticationProvider: 'a b' }), 'authenticationProvider');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', name: '\u0007bell' }), 'name');
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 'https://a.example.com', portalURL: 'https://p.example.com' }), 'portalURL', /unknown field/);
      rejectsWith(() => parseCustomCloud({ resourceManagerEndpoint: 42 }), 'resourceManagerEndpoint', /not a string/);
      rejectsWith(() => parseCustomCloud('https://a.example.com'), 'customCloud');
      rejectsWith(() => parseCustomCloud(null), 'customCloud');
    });
  });
});
