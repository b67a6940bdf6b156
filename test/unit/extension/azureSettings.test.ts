import * as assert from 'node:assert/strict';
import { AZURE_CLOUDS } from '../../../src/core/azure/clouds';
import { readSettings } from '../../../src/services/settings';
import { isSubscriptionShown, parseSubscriptionFilter, subscriptionKey } from '../../../src/services/subscriptionFilter';
import { SUB_A, SUB_B, TENANT_1, TENANT_2 } from './azureFakes';

/** readSettings over a plain object of `acrStreaming.*` values (keys relative to the section). */
function read(values: Record<string, unknown>) {
  return readSettings((key) => values[key]);
}

function azureProblems(values: Record<string, unknown>) {
  return read(values).problems.filter((p) => p.setting.startsWith('acrStreaming.azure.'));
}

describe('Azure settings', () => {
  describe('acrStreaming.azure.cloud', () => {
    it('defaults to public Azure with no problem', () => {
      const settings = read({});
      assert.equal(settings.azure.cloud, AZURE_CLOUDS.AzureCloud);
      assert.equal(settings.azure.cloud.authenticationProvider, 'microsoft');
      assert.deepEqual(settings.azure.subscriptions, { selected: [] });
      assert.deepEqual(settings.problems, []);
    });

    it('reads each named cloud', () => {
      for (const name of ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const) {
        const settings = read({ 'azure.cloud': name });
        assert.equal(settings.azure.cloud, AZURE_CLOUDS[name], name);
        assert.deepEqual(settings.problems, [], name);
      }
      assert.equal(read({ 'azure.cloud': 'AzureChinaCloud' }).azure.cloud.registrySuffix, '.azurecr.cn');
      assert.equal(read({ 'azure.cloud': 'AzureUSGovernment' }).azure.cloud.portalUrl, 'https://portal.azure.us');
    });

    it('reads a custom cloud, with defaults for what it leaves out', () => {
      const settings = read({
        'azure.cloud': 'Custom',
        'azure.customCloud': { name: 'Stack', resourceManagerEndpoint: 'https://management.stack.example.com/' },
      });
      assert.deepEqual(settings.problems, []);
      const cloud = settings.azure.cloud;
      assert.equal(cloud.name, 'Custom');
      assert.equal(cloud.displayName, 'Stack');
      assert.equal(cloud.resourceManagerEndpoint, 'https://management.stack.example.com');
      assert.equal(cloud.managementScope, 'https://management.stack.example.com/.default');
      assert.equal(cloud.registryExchangeScope, cloud.managementScope);
      assert.equal(cloud.authenticationProvider, 'microsoft-sovereign-cloud');
      assert.equal(cloud.registrySuffix, '.azurecr.io');
    });

    it('allows plain http only for a loopback Resource Manager (the local emulator)', () => {
      const local = read({ 'azure.cloud': 'Custom', 'azure.customCloud': { resourceManagerEndpoint: 'http://127.0.0.1:1234', authenticationProvider: 'acr-streaming-test' } });
      assert.deepEqual(local.problems, []);
      assert.equal(local.azure.cloud.resourceManagerEndpoint, 'http://127.0.0.1:1234');
      assert.equal(local.azure.cloud.authenticationProvider, 'acr-streaming-test');

      const remote = read({ 'azure.cloud': 'Custom', 'azure.customCloud': { resourceManagerEndpoint: 'http://management.example.com' } });
      assert.equal(remote.azure.cloud, AZURE_CLOUDS.AzureCloud, 'falls back to public Azure');
      assert.equal(remote.problems.length, 1);
      assert.equal(remote.problems[0].setting, 'acrStreaming.azure.customCloud');
      assert.match(remote.problems[0].message, /https/);
      assert.match(remote.problems[0].message, /Using Azure\.$/);
    });

    it('reports a bad custom cloud against acrStreaming.azure.customCloud and falls back to public Azure', () => {
      const cases: unknown[] = [
        undefined,
        'https://management.example.com',
        {},
        { resourceManagerEndpoint: 'not a url' },
        { resourceManagerEndpoint: 'https://management.example.com', managementScope: 'https://management.example.com' },
        { resourceManagerEndpoint: 'https://management.example.com', portalUrl: 'http://portal.example.com' },
        { resourceManagerEndpoint: 'https://management.example.com', registrySufix: '.azurecr.io' },
        { resourceManagerEndpoint: 'https://user:pw@management.example.com' },
      ];
      for (const custom of cases) {
        const settings = read({ 'azure.cloud': 'Custom', 'azure.customCloud': custom });
        assert.equal(settings.azure.cloud, AZURE_CLOUDS.AzureCloud, JSON.stringify(custom));
        assert.deepEqual(
          settings.problems.map((p) => p.setting),
          ['acrStreaming.azure.customCloud'],
          JSON.stringify(custom),
        );
      }
    });

    // The problem is shown and logged: like parseRegistrySetting, it never repeats such a URL.
    it('does not repeat a password given in the custom cloud URL', () => {
      for (const custom of [
        { resourceManagerEndpoint: 'https://user:pw@management.example.com' },
        { resourceManagerEndpoint: 'https://management.example.com', portalUrl: 'https://user:pw@portal.example.com' },
      ]) {
        const settings = read({ 'azure.cloud': 'Custom', 'azure.customCloud': custom });
        assert.equal(settings.problems.length, 1);
        assert.ok(!settings.problems[0].message.includes('pw@'), settings.problems[0].message);
      }
    });

    it('reports an unknown cloud name against acrStreaming.azure.cloud and falls back to public Azure', () => {
      for (const name of ['AzureGermanCloud', 42, 'Azure Cloud']) {
        const settings = read({ 'azure.cloud': name });
        assert.equal(settings.azure.cloud, AZURE_CLOUDS.AzureCloud, String(name));
        assert.deepEqual(
          settings.problems.map((p) => p.setting),
          ['acrStreaming.azure.cloud'],
        );
        assert.match(settings.problems[0].message, /is not an Azure cloud/);
        assert.match(settings.problems[0].message, /AzureChinaCloud/, 'lists the valid names');
      }
    });

    it('accepts cloud names in any case, with surrounding spaces', () => {
      assert.equal(read({ 'azure.cloud': 'azurechinacloud' }).azure.cloud, AZURE_CLOUDS.AzureChinaCloud);
      assert.equal(read({ 'azure.cloud': ' AzureUSGovernment ' }).azure.cloud, AZURE_CLOUDS.AzureUSGovernment);
    });

    // resolveCloud accepts "custom" in any case: the problem must still name the custom cloud.
    it('names acrStreaming.azure.customCloud for a bad custom cloud however "Custom" is spelt', () => {
      const settings = read({ 'azure.cloud': 'custom', 'azure.customCloud': {} });
      assert.equal(settings.azure.cloud, AZURE_CLOUDS.AzureCloud);
      assert.deepEqual(
        settings.problems.map((p) => p.setting),
        ['acrStreaming.azure.customCloud'],
      );
    });
  });

  describe('acrStreaming.azure.subscriptions', () => {
    const good = `${TENANT_1}/${SUB_A}`;
    const other = `${TENANT_2}/${SUB_B}`;

    it('parses tenantId/subscriptionId entries, lower-cased, and drops duplicates silently', () => {
      const { filter, problems } = parseSubscriptionFilter([good.toUpperCase(), other, good]);
      assert.deepEqual(filter.selected, [good, other]);
      assert.deepEqual(problems, []);
    });

    it('reports malformed entries by index and ignores them', () => {
      const { filter, problems } = parseSubscriptionFilter([good, SUB_A, 42, `${TENANT_1}/not-a-guid`, `${TENANT_1}/${SUB_A}/extra`, '', other]);
      assert.deepEqual(filter.selected, [good, other]);
      assert.equal(problems.length, 5);
      assert.match(problems[0], /acrStreaming\.azure\.subscriptions\[1\]/);
      assert.match(problems[1], /\[2\]/);
      assert.match(problems[4], /\[5\]/);
      assert.match(problems[0], /Select Subscriptions/);
    });

    it('treats unset as "all" and a non-list as one problem (then "all")', () => {
      assert.deepEqual(parseSubscriptionFilter(undefined), { filter: { selected: [] }, problems: [] });
      assert.deepEqual(parseSubscriptionFilter(null), { filter: { selected: [] }, problems: [] });
      for (const value of [good, { [TENANT_1]: SUB_A }, 3]) {
        const parsed = parseSubscriptionFilter(value);
        assert.deepEqual(parsed.filter.selected, []);
        assert.equal(parsed.problems.length, 1);
        assert.match(parsed.problems[0], /must be a list/);
      }
    });

    it('surfaces filter problems through readSettings under the setting name', () => {
      const settings = read({ 'azure.subscriptions': [good, 'oops'] });
      assert.deepEqual(settings.azure.subscriptions.selected, [good]);
      assert.deepEqual(azureProblems({ 'azure.subscriptions': [good, 'oops'] }).map((p) => p.setting), ['acrStreaming.azure.subscriptions']);
    });

    it('shows every subscription with an empty filter, else only selected tenant/subscription pairs', () => {
      assert.equal(isSubscriptionShown({ selected: [] }, TENANT_1, SUB_A), true);
      const filter = parseSubscriptionFilter([good]).filter;
      assert.equal(isSubscriptionShown(filter, TENANT_1, SUB_A), true);
      assert.equal(isSubscriptionShown(filter, TENANT_1.toUpperCase(), SUB_A.toUpperCase()), true, 'case-insensitive');
      assert.equal(isSubscriptionShown(filter, TENANT_2, SUB_A), false, 'same subscription id under another tenant');
      assert.equal(isSubscriptionShown(filter, TENANT_1, SUB_B), false);
      assert.equal(subscriptionKey(TENANT_1.toUpperCase(), SUB_A), good);
    });
  });
});
