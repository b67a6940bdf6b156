/** Azure Resource Manager listings whose `nextLink` loops or points elsewhere (the SDKs' own paging). */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createAzureResourceClient } from '../../../../src/core/azure/azureResourceClient';
import { parseCustomCloud } from '../../../../src/core/azure/clouds';
import { AcrStreamingError } from '../../../../src/core/errors';
import { isPagingError } from '../../../../src/core/paging';
import { json, startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const TENANT = '11111111-1111-4111-8111-111111111111';
const SUB = '33333333-3333-4333-8333-333333333333';
const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: 'secret', expiresOnTimestamp: Date.now() + 3600_000 }) };
const subscription = (n: number) => ({ id: `/subscriptions/${SUB.slice(0, -1)}${n}`, subscriptionId: `${SUB.slice(0, -1)}${n}`, displayName: `Sub ${n}`, tenantId: TENANT, state: 'Enabled' });
const registry = (name: string) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`,
  name,
  type: 'Microsoft.ContainerRegistry/registries',
  location: 'eastus',
  sku: { name: 'Premium', tier: 'Premium' },
  properties: { loginServer: `${name}.azurecr.io`, provisioningState: 'Succeeded' },
});

describe('Azure Resource Manager paging', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  const client = () => createAzureResourceClient(credential, parseCustomCloud({ name: 'Local', resourceManagerEndpoint: server.baseUrl }), { maxRetries: 0, retryDelayMs: 5, timeoutMs: 5000 });
  const host = () => new URL(server.baseUrl).host;
  const page = (query: string) => `${server.baseUrl}/subscriptions?api-version=2022-12-01&${query}`;
  const pageOf = (path: string) => new URL(path, 'http://x').searchParams.get('page');

  it('follows pages and keeps each subscription once when pages overlap', async () => {
    server.handle((req, res) =>
      pageOf(req.path) === '2' ? json(res, 200, { value: [subscription(2), subscription(3)] }) : json(res, 200, { value: [subscription(1), subscription(2)], nextLink: page('page=2') }),
    );
    const subscriptions = await client().listSubscriptions();
    assert.deepEqual(subscriptions.map((s) => s.displayName), ['Sub 1', 'Sub 2', 'Sub 3']);
  });

  it('stops with an error when nextLink repeats a page, before the SDK asks for it again', async () => {
    server.handle((_req, res) => json(res, 200, { value: [subscription(1)], nextLink: page('page=2') }));
    await assert.rejects(client().listSubscriptions(), (e: unknown) => isPagingError(e) && e.code === 'INVALID_RESPONSE' && e.message.startsWith(`${host()} repeated a page while listing your subscriptions`));
    assert.equal(server.seen.length, 2);
  });

  it('stops at once when nextLink points back to the first page the SDK read', async () => {
    server.handle((req, res) => json(res, 200, { value: [subscription(1)], nextLink: `${server.baseUrl}${req.path}` }));
    await assert.rejects(client().listSubscriptions(), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page');
    assert.equal(server.seen.length, 1);
  });

  it('stops on a cycle A→B→A of registries', async () => {
    const base = `${server.baseUrl}/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01`;
    server.handle((req, res) => {
      const which = pageOf(req.path);
      json(res, 200, which === 'b' ? { value: [registry('two')], nextLink: `${base}&page=a` } : { value: [registry('one')], nextLink: `${base}&page=b` });
    });
    await assert.rejects(client().listRegistries(SUB), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page' && /the container registries of subscription/.test(e.message));
    assert.ok(server.seen.length <= 4, `${server.seen.length} requests`);
  });

  it('refuses a nextLink to another origin or another listing, without sending the token there', async () => {
    server.handle((_req, res) => json(res, 200, { value: [{ tenantId: TENANT }], nextLink: 'https://elsewhere.example/tenants?api-version=2022-12-01&page=2' }));
    await assert.rejects(client().listTenants(), (e: unknown) => isPagingError(e) && e.fault === 'foreign-link' && e.message.startsWith(`${host()} sent a paging link that leaves your tenants (it points to https://elsewhere.example)`));
    server.handle((_req, res) => json(res, 200, { value: [{ tenantId: TENANT }], nextLink: `${server.baseUrl}/subscriptions?api-version=2022-12-01&page=2` }));
    await assert.rejects(client().listTenants(), (e: unknown) => isPagingError(e) && e.fault === 'foreign-link');
    assert.equal(server.seen.length, 2);
  });

  it('is cancellable between pages', async () => {
    const controller = new AbortController();
    let n = 0;
    server.handle((_req, res) => {
      if (++n === 2) {
        controller.abort();
      }
      json(res, 200, { value: [subscription(n)], nextLink: page(`page=${n + 1}`) });
    });
    await assert.rejects(client().listSubscriptions({ signal: controller.signal }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
    assert.equal(n, 2);
  });
});
