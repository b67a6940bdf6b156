import * as assert from 'node:assert/strict';
import {
  parseRegistrySetting,
  parseRegistrySettings,
  readSettings,
  registrySettingValues,
  settingGetter,
  USER_ONLY_KEYS,
  type InspectedSetting,
} from '../../../src/services/settings';

describe('settings', () => {
  describe('acrStreaming.registries', () => {
    it('accepts login servers, registry names and URLs', () => {
      const { endpoints, problems } = parseRegistrySetting(['myregistry.azurecr.io', 'other1', 'https://127.0.0.1:5443', 'http://localhost:5000']);
      assert.deepEqual(problems, []);
      assert.deepEqual(endpoints, [
        { loginServer: 'myregistry.azurecr.io', baseUrl: 'https://myregistry.azurecr.io' },
        { loginServer: 'other1.azurecr.io', baseUrl: 'https://other1.azurecr.io' },
        { loginServer: '127.0.0.1:5443', baseUrl: 'https://127.0.0.1:5443' },
        { loginServer: 'localhost:5000', baseUrl: 'http://localhost:5000' },
      ]);
    });

    it('reports bad entries by index and keeps the good ones', () => {
      const { endpoints, problems } = parseRegistrySetting(['good.azurecr.io', 42, 'https://user:secret@evil.example.com', 'reg.io/path', '', 'ok.azurecr.io']);
      assert.deepEqual(
        endpoints.map((e) => e.loginServer),
        ['good.azurecr.io', 'ok.azurecr.io'],
      );
      assert.deepEqual(
        problems.map((p) => p.setting),
        ['acrStreaming.registries[1]', 'acrStreaming.registries[2]', 'acrStreaming.registries[3]', 'acrStreaming.registries[4]'],
      );
      assert.match(problems[1].message, /credentials/);
      assert.ok(!problems.some((p) => p.message.includes('secret')), 'a password in a URL is never repeated');
    });

    it('drops duplicates (also under another spelling) with a note', () => {
      const { endpoints, problems } = parseRegistrySetting(['reg.azurecr.io', 'REG.azurecr.io', 'http://reg.azurecr.io']);
      assert.equal(endpoints.length, 1);
      assert.equal(problems.length, 2);
      assert.match(problems[1].message, /first entry \(https:\/\/reg\.azurecr\.io\) is used/);
    });

    it('treats a missing setting as empty and a non-list as one problem', () => {
      assert.deepEqual(parseRegistrySetting(undefined), { endpoints: [], problems: [] });
      const wrong = parseRegistrySetting('reg.azurecr.io');
      assert.deepEqual(wrong.endpoints, []);
      assert.equal(wrong.problems.length, 1);
    });
  });

  describe('readSettings', () => {
    it('uses defaults when nothing is set', () => {
      const s = readSettings(() => undefined);
      assert.equal(s.pageSize, 100);
      assert.equal(s.maxConcurrentRequests, 4);
      assert.deepEqual(s.pollInterval, { minMs: 1000, maxMs: 15000 });
      assert.deepEqual(s.problems, []);
    });

    it('clamps out-of-range numbers and rejects non-integers, saying so', () => {
      const values: Record<string, unknown> = { pageSize: 0, maxConcurrentRequests: 2.5, 'pollInterval.minSeconds': 30, 'pollInterval.maxSeconds': 10 };
      const s = readSettings((key) => values[key]);
      assert.equal(s.pageSize, 1);
      assert.equal(s.maxConcurrentRequests, 4);
      assert.deepEqual(s.pollInterval, { minMs: 30_000, maxMs: 30_000 });
      assert.deepEqual(
        s.problems.map((p) => p.setting),
        ['acrStreaming.pageSize', 'acrStreaming.maxConcurrentRequests', 'acrStreaming.pollInterval.maxSeconds'],
      );
    });
  });

  describe('where a value comes from (workspace settings are untrusted input)', () => {
    /** A fake `WorkspaceConfiguration.inspect` over per-key values. */
    function inspectOf(values: Record<string, InspectedSetting>) {
      return (key: string): InspectedSetting | undefined => values[key];
    }

    it('splits the registries into the user\'s and the workspace\'s, and ignores the workspace\'s when it is not trusted', () => {
      const inspect = inspectOf({ registries: { defaultValue: [], globalValue: ['mine.azurecr.io'], workspaceValue: ['https://theirs.example.com'] } });
      assert.deepEqual(registrySettingValues(inspect, true), { user: ['mine.azurecr.io'], workspace: ['https://theirs.example.com'] });
      assert.deepEqual(registrySettingValues(inspect, false), { user: ['mine.azurecr.io'], workspace: undefined });
      const folder = inspectOf({ registries: { workspaceValue: ['a.example.io'], workspaceFolderValue: ['b.example.io'] } });
      assert.deepEqual(registrySettingValues(folder, true), { user: undefined, workspace: ['b.example.io'] });
    });

    it('merges them with the user\'s first and marks those only the workspace lists', () => {
      const parsed = parseRegistrySettings({ user: ['mine.azurecr.io'], workspace: ['https://theirs.example.com', 'mine.azurecr.io', 'http://169.254.169.254'] });
      assert.deepEqual(
        parsed.endpoints.map((e) => e.loginServer),
        ['mine.azurecr.io', 'theirs.example.com'],
      );
      assert.deepEqual([...parsed.workspaceOnly], ['theirs.example.com']);
      assert.equal(parsed.problems.length, 1);
      assert.match(parsed.problems[0].message, /acrStreaming\.registries\[2\] \(workspace settings\).*metadata/);
    });

    it('reads the cloud, its endpoints, the subscriptions and the http opt-in from the user\'s settings only', () => {
      const evilCloud = { name: 'Evil', resourceManagerEndpoint: 'https://arm.evil.example.com' };
      const inspect = inspectOf({
        'azure.cloud': { defaultValue: 'AzureCloud', workspaceValue: 'Custom' },
        'azure.customCloud': { defaultValue: {}, workspaceValue: evilCloud },
        allowInsecureRegistries: { defaultValue: false, workspaceValue: true },
        pageSize: { globalValue: 50, workspaceValue: 20 },
      });
      // What VS Code's get() would resolve if it honoured the workspace.
      const resolved: Record<string, unknown> = { 'azure.cloud': 'Custom', 'azure.customCloud': evilCloud, allowInsecureRegistries: true, pageSize: 20 };
      const settings = readSettings(settingGetter(inspect, (key) => resolved[key]));
      assert.equal(settings.azure.cloud.name, 'AzureCloud');
      assert.equal(settings.allowInsecureRegistries, false);
      assert.equal(settings.pageSize, 20, 'harmless settings follow VS Code');
      assert.deepEqual([...USER_ONLY_KEYS].sort(), ['allowInsecureRegistries', 'azure.cloud', 'azure.customCloud', 'azure.subscriptions']);

      const user = inspectOf({ 'azure.cloud': { globalValue: 'Custom' }, 'azure.customCloud': { globalValue: evilCloud }, allowInsecureRegistries: { globalValue: true } });
      const mine = readSettings(settingGetter(user, () => undefined));
      assert.equal(mine.azure.cloud.resourceManagerEndpoint, 'https://arm.evil.example.com');
      assert.equal(mine.allowInsecureRegistries, true);
    });
  });
});
