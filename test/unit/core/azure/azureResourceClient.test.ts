import * as assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createAzureResourceClient, SOFT_DELETE_API_VERSION, type AzureResourceClientOptions } from '../../../../src/core/azure/azureResourceClient';
import { parseCustomCloud, type AzureCloud } from '../../../../src/core/azure/clouds';
import { AcrStreamingError, InvalidInputError } from '../../../../src/core/errors';
import type { Logger } from '../../../../src/core/logger';
import { json, startScriptedServer, type ScriptedServer, type SeenRequest } from '../support/scriptedServer';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
const SUB = '33333333-3333-4333-8333-333333333333';
const ID = `/subscriptions/${SUB}/resourceGroups/demo-rg/providers/Microsoft.ContainerRegistry/registries/streamingdemo`;

class FakeCredential implements TokenCredential {
  readonly requests: Array<{ scopes: string | string[]; claims?: string }> = [];
  lifetimeMs = 3600_000;
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.requests.push({ scopes, claims: options?.claims });
    return { token: `secret-token-${this.requests.length}`, expiresOnTimestamp: Date.now() + this.lifetimeMs };
  }
}

function registryJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    name: 'streamingdemo',
    type: 'Microsoft.ContainerRegistry/registries',
    location: 'westeurope',
    sku: { name: 'Premium', tier: 'Premium' },
    properties: {
      loginServer: 'StreamingDemo.azurecr.io',
      adminUserEnabled: false,
      anonymousPullEnabled: true,
      encryption: { status: 'disabled' },
      provisioningState: 'Succeeded',
    },
    ...overrides,
  };
}

function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

describe('Azure resource client', () => {
  let server: ScriptedServer;
  let credential: FakeCredential;
  let cloud: AzureCloud;
  let logs: string[];

  beforeEach(async () => {
    server = await startScriptedServer();
    credential = new FakeCredential();
    cloud = parseCustomCloud({ name: 'Local', resourceManagerEndpoint: server.baseUrl });
    logs = [];
  });
  afterEach(() => server.close());

  const logger: Logger = {
    trace: (m) => logs.push(m),
    debug: (m) => logs.push(m),
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const client = (options: AzureResourceClientOptions = {}) => createAzureResourceClient(credential, cloud, { logger, maxRetries: 2, retryDelayMs: 5, timeoutMs: 5000, ...options });
  const route = (handlers: Record<string, (req: SeenRequest) => [number, unknown, Record<string, string>?]>) =>
    server.handle((req, res) => {
      const path = req.path.split('?')[0];
      const handler = handlers[path];
      if (!handler) {
        json(res, 404, armError('NoRoute', `no route ${path}`));
        return;
      }
      const [status, body, headers] = handler(req);
      json(res, status, body, headers);
    });

  it('lists tenants with a token for the cloud\'s management scope, skipping malformed ones', async () => {
    route({ '/tenants': () => [200, { value: [{ tenantId: TENANT, displayName: 'Contoso', defaultDomain: 'contoso.example' }, { displayName: 'no id' }, { tenantId: OTHER_TENANT }] }] });
    const tenants = await client().listTenants();
    assert.deepEqual(tenants, [
      { tenantId: TENANT, displayName: 'Contoso', defaultDomain: 'contoso.example' },
      { tenantId: OTHER_TENANT, displayName: undefined, defaultDomain: undefined },
    ]);
    assert.deepEqual(credential.requests, [{ scopes: `${server.baseUrl}/.default`, claims: undefined }]);
    assert.equal(server.seen[0].headers.authorization, 'Bearer secret-token-1');
    assert.match(server.seen[0].path, /^\/tenants\?api-version=/);
    assert.ok(logs.some((line) => /Skipping a malformed tenant/.test(line)));
  });

  it('follows nextLink through subscription pages and reuses the cached token', async () => {
    route({
      '/subscriptions': (req) =>
        req.path.includes('page=2')
          ? [200, { value: [{ subscriptionId: SUB.replace('3333', '4444'), displayName: 'Contoso Sandbox', tenantId: TENANT }] }]
          : [200, { value: [{ subscriptionId: SUB, displayName: 'Contoso Production', tenantId: TENANT, state: 'Enabled' }, { subscriptionId: 'nope' }], nextLink: `${server.baseUrl}/subscriptions?api-version=2022-12-01&page=2` }],
    });
    const subscriptions = await client().listSubscriptions();
    assert.deepEqual(subscriptions.map((s) => s.displayName), ['Contoso Production', 'Contoso Sandbox']);
    assert.equal(subscriptions[0].state, 'Enabled');
    assert.equal(server.seen.length, 2);
    assert.equal(credential.requests.length, 1, 'one token for both pages');
    assert.ok(logs.every((line) => !line.includes('secret-token')), 'tokens never reach the log');
  });

  it('shares one token request between requests sent together', async () => {
    route({ '/tenants': () => [200, { value: [] }], '/subscriptions': () => [200, { value: [] }] });
    const api = client();
    await Promise.all([api.listTenants(), api.listSubscriptions(), api.listTenants()]);
    assert.equal(credential.requests.length, 1);
    assert.equal(server.seen.length, 3);
  });

  it('asks for a new token when the cached one is within 5 minutes of expiry', async () => {
    credential.lifetimeMs = 4 * 60_000;
    route({ '/tenants': () => [200, { value: [] }] });
    const api = client();
    await api.listTenants();
    await api.listTenants();
    assert.equal(credential.requests.length, 2);
    assert.equal(server.seen[1].headers.authorization, 'Bearer secret-token-2');
  });

  it('lists registries, mapping and validating each one', async () => {
    const listPath = `/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/registries`;
    route({
      [listPath]: () => [
        200,
        {
          value: [
            registryJson(),
            registryJson({ id: ID.replace('streamingdemo', 'cmkdemo1'), name: 'cmkdemo1', properties: { loginServer: 'cmkdemo1.azurecr.io', encryption: { status: 'enabled' } } }),
            registryJson({ id: '/subscriptions/x/whatever', name: 'broken' }),
            registryJson({ id: ID.replace('streamingdemo', 'badhost1'), name: 'badhost1', properties: { loginServer: 'https://evil.example.com/path' } }),
            registryJson({ id: ID.replace('streamingdemo', 'nosku123'), name: 'nosku123', sku: undefined }),
          ],
        },
      ],
    });
    const registries = await client().listRegistries(SUB);
    assert.deepEqual(registries, [
      {
        id: ID,
        name: 'streamingdemo',
        subscriptionId: SUB,
        resourceGroup: 'demo-rg',
        location: 'westeurope',
        sku: 'Premium',
        loginServer: 'streamingdemo.azurecr.io',
        encryptionEnabled: false,
        adminUserEnabled: false,
        anonymousPullEnabled: true,
      },
      {
        id: ID.replace('streamingdemo', 'cmkdemo1'),
        name: 'cmkdemo1',
        subscriptionId: SUB,
        resourceGroup: 'demo-rg',
        location: 'westeurope',
        sku: 'Premium',
        loginServer: 'cmkdemo1.azurecr.io',
        encryptionEnabled: true,
        // The SDK's model defaults both to false when the reply leaves them out.
        adminUserEnabled: false,
        anonymousPullEnabled: false,
      },
    ]);
    assert.equal(logs.filter((line) => /Skipping a malformed registry/.test(line)).length, 3);
  });

  it('validates the subscription id and registry id before sending', async () => {
    await assert.rejects(client().listRegistries('not-a-guid'), (e: unknown) => e instanceof InvalidInputError && e.part === 'subscriptionId');
    await assert.rejects(client().getRegistry('/subscriptions/x'), (e: unknown) => e instanceof InvalidInputError && e.part === 'registryId');
    assert.equal(server.seen.length, 0);
  });

  it('gets one registry by id', async () => {
    route({ [ID]: () => [200, registryJson()] });
    const registry = await client().getRegistry(ID.replace('/resourceGroups/', '/resourcegroups/'));
    assert.equal(registry.loginServer, 'streamingdemo.azurecr.io');
    assert.equal(registry.resourceGroup, 'demo-rg');
    assert.equal(server.seen.length, 1);
  });

  it('fails with INVALID_RESPONSE when the one registry asked for is malformed', async () => {
    route({ [ID]: () => [200, registryJson({ properties: {} })] });
    await assert.rejects(client().getRegistry(ID), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_RESPONSE' && /loginServer/.test(e.message));
  });

  describe('failures', () => {
    it('401 InvalidAuthenticationToken: sign in again', async () => {
      route({ '/tenants': () => [401, armError('InvalidAuthenticationToken', 'The access token is invalid.')] });
      await assert.rejects(client().listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED' && e.status === 401 && /Sign in to Azure again/.test(e.hint ?? ''));
      assert.equal(server.seen.length, 1, 'a 401 without claims is not retried');
    });

    it('InvalidAuthenticationTokenTenant names the tenant to sign in to', async () => {
      const message = `The access token is from the wrong issuer 'https://sts.windows.net/${TENANT}/'. It must match the tenant 'https://sts.windows.net/${OTHER_TENANT}/' associated with this subscription.`;
      route({ [ID]: () => [401, armError('InvalidAuthenticationTokenTenant', message)] });
      await assert.rejects(client().getRegistry(ID), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED' && (e.hint ?? '').includes(`Sign in to tenant ${OTHER_TENANT}`));
    });

    it('403 AuthorizationFailed: DENIED, naming the Reader role', async () => {
      route({ [`/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/registries`]: () => [403, armError('AuthorizationFailed', 'The client does not have authorization to perform action.')] });
      await assert.rejects(client().listRegistries(SUB), (e: unknown) => e instanceof AcrStreamingError && e.code === 'DENIED' && /Reader/.test(e.hint ?? '') && /AuthorizationFailed/.test(e.message));
    });

    it('404 ResourceNotFound and SubscriptionNotFound: NOT_FOUND', async () => {
      route({ [ID]: () => [404, armError('ResourceNotFound', "The Resource 'Microsoft.ContainerRegistry/registries/streamingdemo' was not found.")] });
      await assert.rejects(client().getRegistry(ID), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NOT_FOUND' && /ResourceNotFound/.test(e.message));
      route({ [`/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/registries`]: () => [404, armError('SubscriptionNotFound', 'The subscription could not be found.')] });
      await assert.rejects(client().listRegistries(SUB), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NOT_FOUND' && /subscription/.test(e.hint ?? ''));
    });

    it('5xx: retried, then SERVER_ERROR', async () => {
      route({ '/tenants': () => [503, armError('ServiceUnavailable', 'busy')] });
      await assert.rejects(client().listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'SERVER_ERROR' && e.status === 503);
      assert.equal(server.seen.length, 3, 'one attempt and two retries');
    });

    it('a 5xx that clears up on a retry succeeds', async () => {
      let n = 0;
      route({ '/tenants': () => (++n === 1 ? [500, armError('InternalServerError', 'oops')] : [200, { value: [{ tenantId: TENANT }] }]) });
      assert.equal((await client().listTenants()).length, 1);
      assert.equal(n, 2);
    });

    it('429 after retries: TOO_MANY_REQUESTS', async () => {
      route({ '/tenants': () => [429, armError('TooManyRequests', 'slow down'), { 'retry-after': '0' }] });
      await assert.rejects(client({ maxRetries: 1 }).listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'TOO_MANY_REQUESTS');
    });

    it('429 with a Retry-After beyond the cap: TOO_MANY_REQUESTS at once, saying when to retry', async () => {
      route({ '/tenants': () => [429, armError('TooManyRequests', 'slow down'), { 'retry-after': '3600' }] });
      const started = Date.now();
      await assert.rejects(client({ maxRetryAfterMs: 1_000 }).listTenants(), (e: unknown) => {
        assert.ok(e instanceof AcrStreamingError);
        assert.equal(e.code, 'TOO_MANY_REQUESTS');
        assert.equal(e.retryAfterMs, 3_600_000);
        assert.match(e.message, /throttled by Azure Resource Manager .*retry after 60 min/);
        return true;
      });
      assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
      assert.equal(server.seen.filter((r) => r.path.startsWith('/tenants')).length, 1);
    });

    it('an unreachable endpoint: NETWORK', async () => {
      await server.close();
      await assert.rejects(client({ maxRetries: 0 }).listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NETWORK' && e.message.includes(new URL(server.baseUrl).host));
    });

    it('a caller\'s abort: CANCELLED', async () => {
      server.handle(() => undefined); // never answers
      const controller = new AbortController();
      const pending = client().listTenants({ signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(pending, (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
    });
  });

  it('answers a claims challenge with a token for those claims, once', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    const challenge = `Bearer authorization_uri="https://login.microsoftonline.com/", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
    let n = 0;
    route({ '/tenants': () => (++n === 1 ? [401, armError('InvalidAuthenticationToken', 'revoked'), { 'www-authenticate': challenge }] : [200, { value: [{ tenantId: TENANT }] }]) });
    assert.equal((await client().listTenants()).length, 1);
    assert.deepEqual(credential.requests.map((r) => r.claims), [undefined, claims]);
    assert.deepEqual(server.seen.map((r) => r.headers.authorization), ['Bearer secret-token-1', 'Bearer secret-token-2']);
  });

  it('stops after one claims challenge that keeps failing', async () => {
    const challenge = `Bearer error="insufficient_claims", claims="${Buffer.from('{"a":1}').toString('base64')}"`;
    route({ '/tenants': () => [401, armError('InvalidAuthenticationToken', 'revoked'), { 'www-authenticate': challenge }] });
    await assert.rejects(client().listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED');
    assert.equal(server.seen.length, 2);
  });

  it('a credential that fails: UNAUTHORIZED, sign in again', async () => {
    const failing: TokenCredential = { getToken: () => Promise.reject(new Error('The session expired.')) };
    route({ '/tenants': () => [200, { value: [] }] });
    const api = createAzureResourceClient(failing, cloud, { maxRetries: 0 });
    await assert.rejects(api.listTenants(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED' && /session expired/.test(e.message) && /Sign in to Azure again/.test(e.hint ?? ''));
    assert.equal(server.seen.length, 0);
  });

  it('never sends a token over plain http to a host that is not loopback', async () => {
    const insecure: AzureCloud = { ...cloud, resourceManagerEndpoint: 'http://arm.example.invalid' };
    const api = createAzureResourceClient(credential, insecure, { maxRetries: 0 });
    await assert.rejects(api.listTenants(), (e: unknown) => e instanceof AcrStreamingError && /plain HTTP/.test(e.message));
    assert.equal(credential.requests.length, 0);
  });

  describe('soft-delete policy', () => {
    it('reads it with the preview api-version', async () => {
      route({ [ID]: () => [200, { ...registryJson(), properties: { loginServer: 'x', policies: { softDeletePolicy: { status: 'enabled', retentionDays: 7 } } } }] });
      assert.deepEqual(await client().getSoftDeletePolicy(ID), { enabled: true, retentionDays: 7 });
      assert.equal(new URL(server.seen[0].path, server.baseUrl).searchParams.get('api-version'), SOFT_DELETE_API_VERSION);
      assert.equal(server.seen[0].headers.authorization, 'Bearer secret-token-1');
    });

    it('reads a disabled policy, and undefined when the service does not say', async () => {
      route({ [ID]: () => [200, { properties: { policies: { softDeletePolicy: { status: 'disabled' } } } }] });
      assert.deepEqual(await client().getSoftDeletePolicy(ID), { enabled: false, retentionDays: undefined });
      route({ [ID]: () => [200, { properties: { policies: { exportPolicy: { status: 'enabled' } } } }] });
      assert.equal(await client().getSoftDeletePolicy(ID), undefined);
    });

    it('refuses a malformed reply and maps a refusal', async () => {
      route({ [ID]: () => [200, { properties: { policies: { softDeletePolicy: { status: 1 } } } }] });
      await assert.rejects(client().getSoftDeletePolicy(ID), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_RESPONSE');
      route({ [ID]: () => [403, armError('AuthorizationFailed', 'no')] });
      await assert.rejects(client().getSoftDeletePolicy(ID), (e: unknown) => e instanceof AcrStreamingError && e.code === 'DENIED');
    });
  });
});
