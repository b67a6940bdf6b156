import * as assert from 'node:assert/strict';
import { parseRegistrySetting, readSettings } from '../../../src/services/settings';

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
});
