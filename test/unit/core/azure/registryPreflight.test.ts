import * as assert from 'node:assert/strict';
import { assertRegistryAllowsStreaming, registryStreamingBlockers } from '../../../../src/core/azure/registryPreflight';
import { AcrStreamingError } from '../../../../src/core/errors';

const premium = { name: 'streamingdemo', sku: 'Premium', encryptionEnabled: false, loginServer: 'streamingdemo.azurecr.io' };

describe('registry streaming pre-flight', () => {
  it('allows a Premium registry without customer-managed keys', () => {
    assert.deepEqual(registryStreamingBlockers(premium), []);
    assertRegistryAllowsStreaming(premium);
    assertRegistryAllowsStreaming({ ...premium, sku: 'premium' });
  });

  it('blocks a non-Premium registry and says how to upgrade', () => {
    for (const sku of ['Basic', 'Standard', 'Classic']) {
      const blockers = registryStreamingBlockers({ ...premium, name: 'standarddemo', sku });
      assert.deepEqual(blockers.map((b) => b.code), ['SKU_NOT_PREMIUM']);
      assert.match(blockers[0].message, new RegExp(`${sku} registry`));
      assert.match(blockers[0].hint, /az acr update --name standarddemo --sku Premium/);
      assert.match(blockers[0].hint, /500 GiB/);
    }
  });

  it('blocks customer-managed keys and says they cannot be turned off', () => {
    const blockers = registryStreamingBlockers({ ...premium, name: 'cmkdemo', encryptionEnabled: true });
    assert.deepEqual(blockers.map((b) => b.code), ['CUSTOMER_MANAGED_KEYS']);
    assert.match(blockers[0].message, /customer-managed keys/);
    assert.match(blockers[0].hint, /cannot be turned off/);
  });

  it('lists both blockers, and throws the first with its code and hint', () => {
    const both = { ...premium, sku: 'Standard', encryptionEnabled: true };
    assert.deepEqual(registryStreamingBlockers(both).map((b) => b.code), ['SKU_NOT_PREMIUM', 'CUSTOMER_MANAGED_KEYS']);
    assert.throws(() => assertRegistryAllowsStreaming(both), (e: unknown) => e instanceof AcrStreamingError && e.code === 'SKU_NOT_PREMIUM' && /--sku Premium/.test(e.hint ?? ''));
    assert.throws(() => assertRegistryAllowsStreaming({ ...premium, encryptionEnabled: true }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'CUSTOMER_MANAGED_KEYS');
  });
});
