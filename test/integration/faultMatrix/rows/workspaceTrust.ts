/**
 * Fault matrix, item 8: a cloned repository's `.vscode/settings.json` as an attacker. Driven
 * through the extension's own store, credential source and connection manager (no VS Code),
 * against a scripted loopback registry that records what it receives.
 */
import * as assert from 'node:assert/strict';
import type { BadgeService } from '../../../../src/core/badge/badgeService';
import { RegistryCredentialSource } from '../../../../src/azure/registryCredentialSource';
import { AZURE_CLOUDS } from '../../../../src/core/azure/clouds';
import { connect } from '../../../../src/core/connect';
import type { ConnectFunction } from '../../../../src/core/connection';
import { AcrStreamingError } from '../../../../src/core/errors';
import { silentLogger } from '../../../../src/core/logger';
import { ConnectionManager } from '../../../../src/services/connectionManager';
import { environmentCredentials, RegistryStore } from '../../../../src/services/registryStore';
import { readSettings, settingGetter, type InspectedSetting, type RegistrySettingValues } from '../../../../src/services/settings';
import { MemorySecrets, MemoryState } from '../../../unit/extension/fakes';
import { startScriptedServer, type ScriptedServer } from '../../../unit/core/support/scriptedServer';
import type { FaultRow } from '../faultRow';

const ENV = environmentCredentials({ ACR_STREAMING_USERNAME: 'emu', ACR_STREAMING_PASSWORD: 'emu-secret' });

/** The store, credential source and connection manager as activation wires them; `connects` counts connections made. */
function extensionSide(settings: RegistrySettingValues, allowInsecure = false) {
  const store = new RegistryStore(new MemoryState(), new MemorySecrets(), () => settings, ENV);
  const catalog = { registryFor: () => undefined, findRegistry: async () => undefined };
  const credentials = new RegistryCredentialSource(store, catalog, () => AZURE_CLOUDS.AzureCloud);
  const connects: string[] = [];
  const counting: ConnectFunction = (endpoint, creds, options) => {
    connects.push(endpoint.baseUrl);
    return connect(endpoint, creds, { ...options, maxRetries: 0 });
  };
  const manager = new ConnectionManager({
    credentials,
    entraCredential: () => assert.fail('no Entra credential expected'),
    logger: silentLogger,
    userAgent: 'fault-matrix',
    badgeConcurrency: () => 1,
    allowInsecure: () => allowInsecure,
    connect: counting,
    createBadgeService: () => ({ dispose: () => undefined }) as unknown as BadgeService,
  });
  return { store, manager, connects };
}

/** A registry that wants Basic credentials and lists nothing once it has them. */
async function basicRegistry(): Promise<ScriptedServer> {
  const server = await startScriptedServer();
  server.handle((request, res) => {
    if (!request.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ repositories: [] }));
  });
  return server;
}

const isCode = (code: string) => (e: unknown) => e instanceof AcrStreamingError && e.code === code;

export const rows: FaultRow[] = [
  {
    fault: 'the workspace settings list a registry of the attacker\'s choice while ACR_STREAMING_USERNAME/PASSWORD are set',
    item: 8,
    expected: 'the registry is listed but reached anonymously: no Authorization header ever reaches it; the same server in user settings gets the credentials',
    boundMs: 10_000,
    async run() {
      const server = await basicRegistry();
      try {
        const loginServer = new URL(server.baseUrl).host;
        const workspace = extensionSide({ user: [], workspace: [server.baseUrl] });
        assert.equal(workspace.store.get(loginServer)?.workspaceOnly, true);
        const session = await workspace.manager.session(loginServer);
        await assert.rejects(session.registry.listRepositories(), isCode('UNAUTHORIZED'));
        assert.ok(server.seen.length > 0, 'the registry was asked (anonymously)');
        assert.deepEqual(server.seen.map((r) => r.headers.authorization), server.seen.map(() => undefined));

        // Control: the user's own settings, same server: the environment credentials go there.
        server.seen.length = 0;
        const user = extensionSide({ user: [server.baseUrl], workspace: undefined });
        await (await user.manager.session(loginServer)).registry.listRepositories();
        assert.ok(server.seen.some((r) => r.headers.authorization?.startsWith('Basic ')), 'a user registry gets the credentials');
      } finally {
        await server.close();
      }
    },
  },
  {
    fault: 'the workspace settings name a cloud metadata address as a registry, in decimal, hex, octal and IPv6 spellings',
    item: 8,
    expected: 'each entry is a settings problem naming a link-local or metadata address; nothing is listed and no connection is made',
    boundMs: 2_000,
    async run() {
      const spellings = ['http://169.254.169.254', 'http://2852039166', 'http://0xa9fea9fe', 'http://0251.0376.0251.0376', 'http://[fd00:ec2::254]', 'http://[::ffff:169.254.169.254]', '[fe80::1]:80'];
      const { store, manager, connects } = extensionSide({ user: [], workspace: spellings });
      assert.deepEqual(store.list(), []);
      assert.equal(store.settingProblems.length, spellings.length);
      for (const problem of store.settingProblems) {
        assert.match(problem.message, /link-local or cloud metadata/);
      }
      await assert.rejects(manager.session('169.254.169.254'), isCode('INVALID_INPUT'));
      assert.deepEqual(connects, []);
    },
  },
  {
    fault: 'a registry over plain http on a non-loopback host, with environment credentials available',
    item: 8,
    expected: 'INVALID_INPUT naming acrStreaming.allowInsecureRegistries before any credential is resolved or connection made; allowed once the user opts in',
    boundMs: 2_000,
    async run() {
      const refused = extensionSide({ user: ['http://10.255.255.1:5000'], workspace: undefined });
      await assert.rejects(refused.manager.session('10.255.255.1:5000'), (e: unknown) => isCode('INVALID_INPUT')(e) && /allowInsecureRegistries/.test((e as AcrStreamingError).describe()));
      assert.deepEqual(refused.connects, []);
      const optedIn = extensionSide({ user: ['http://10.255.255.1:5000'], workspace: undefined }, true);
      await optedIn.manager.session('10.255.255.1:5000');
      assert.deepEqual(optedIn.connects, ['http://10.255.255.1:5000'], 'connected (no request is sent until the registry is used)');
    },
  },
  {
    fault: 'the workspace settings switch to a custom cloud whose endpoints would receive Entra tokens, and turn on allowInsecureRegistries',
    item: 8,
    expected: 'both are read from the user settings only: the public Azure cloud and no insecure registries',
    boundMs: 1_000,
    async run() {
      const inspected: Record<string, InspectedSetting> = {
        'azure.cloud': { defaultValue: 'AzureCloud', workspaceValue: 'Custom' },
        'azure.customCloud': { defaultValue: {}, workspaceValue: { resourceManagerEndpoint: 'https://arm.attacker.example' } },
        allowInsecureRegistries: { defaultValue: false, workspaceValue: true },
      };
      const settings = readSettings(settingGetter((key) => inspected[key], (key) => inspected[key]?.workspaceValue));
      assert.equal(settings.azure.cloud.resourceManagerEndpoint, AZURE_CLOUDS.AzureCloud.resourceManagerEndpoint);
      assert.equal(settings.allowInsecureRegistries, false);
    },
  },
];
