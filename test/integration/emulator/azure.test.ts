/**
 * The emulator's Azure Resource Manager: tenants, subscriptions and registries through the real
 * management SDKs (paging included: one item per page here), ARM's error and 401 shapes, soft
 * delete by api-version, Entra test tokens, and fault rules on ARM requests.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { RestError } from '@azure/core-rest-pipeline';
import {
  CONTOSO_PRODUCTION_SUBSCRIPTION_ID,
  CONTOSO_SANDBOX_SUBSCRIPTION_ID,
  DEFAULT_TENANT_ID,
  FABRIKAM_DEV_SUBSCRIPTION_ID,
  FABRIKAM_TENANT_ID,
  VSCODE_CLIENT_ID,
} from '../../../emulator/index';
import type { LooseJson } from './support/acrCalls';
import { collect, registryClient, subscriptionClient } from './support/armClients';
import { startTestEmulator } from './support/emulatorFixture';

function jwtPayload(token: string): Record<string, LooseJson> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

const GA = '2025-11-01';
const PREVIEW = '2025-03-01-preview';
const registryPath = (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${name}`;

describe('emulator: Azure Resource Manager', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let contoso: string;
  let fabrikam: string;

  before(async () => {
    emu = await startTestEmulator({ armPageSize: 1 });
    contoso = emu.issueEntraTestToken();
    fabrikam = emu.issueEntraTestToken({ tenantId: FABRIKAM_TENANT_ID });
  });
  after(async () => {
    await emu?.stop();
  });
  afterEach(() => emu.clearFaults());

  async function arm(path: string, token: string | null = contoso, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: LooseJson }> {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${emu.armUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  it('lists every tenant of the fixture, whatever tenant the token is from', async () => {
    const viaSdk = await collect(subscriptionClient(emu, () => fabrikam).tenants.list());
    assert.deepEqual(viaSdk.map((t) => [t.tenantId, t.displayName, t.defaultDomain]).sort(), [
      [DEFAULT_TENANT_ID, 'Contoso', 'contoso.onmicrosoft.com'],
      [FABRIKAM_TENANT_ID, 'Fabrikam', 'fabrikam.onmicrosoft.com'],
    ].sort());
    const raw = await arm('/tenants?api-version=2022-12-01');
    assert.equal(raw.status, 200);
    assert.equal(raw.body.value.length, 1, 'one item per page in this emulator');
    assert.match(raw.body.nextLink, new RegExp(`^${emu.armUrl}/tenants\\?api-version=2022-12-01&%24skipToken=1$`));
    const [first] = raw.body.value;
    assert.equal(first.id, `/tenants/${first.tenantId}`);
    assert.equal(first.tenantCategory, 'Home');
    assert.equal(first.tenantType, 'AAD');
    assert.deepEqual(first.domains, [first.defaultDomain]);
  });

  it("lists the subscriptions of the token's tenant only", async () => {
    const mine = await collect(subscriptionClient(emu, () => contoso).subscriptions.list());
    assert.deepEqual(mine.map((s) => s.displayName).sort(), ['Contoso Production', 'Contoso Sandbox']);
    assert.ok(mine.every((s) => s.tenantId === DEFAULT_TENANT_ID && s.state === 'Enabled' && s.subscriptionPolicies?.spendingLimit === 'Off'));
    const theirs = await collect(subscriptionClient(emu, () => fabrikam).subscriptions.list());
    assert.deepEqual(theirs.map((s) => [s.subscriptionId, s.displayName]), [[FABRIKAM_DEV_SUBSCRIPTION_ID, 'Fabrikam Dev']]);
    const raw = await arm('/subscriptions?api-version=2022-12-01', fabrikam);
    assert.deepEqual(Object.keys(raw.body.value[0]), ['id', 'authorizationSource', 'managedByTenants', 'subscriptionId', 'tenantId', 'displayName', 'state', 'subscriptionPolicies']);
  });

  it('lists registries with SKU, location, encryption and data-plane login server through the SDK', async () => {
    const production = await collect(registryClient(emu, CONTOSO_PRODUCTION_SUBSCRIPTION_ID, () => contoso).registries.list());
    assert.deepEqual(
      production.map((r) => [r.name, r.sku.name, r.location, r.encryption?.status, r.loginServer]),
      [
        ['streamingdemo', 'Premium', 'eastus', 'disabled', emu.loginServer],
        ['standarddemo', 'Standard', 'westeurope', 'disabled', emu.azure.registries.find((r) => r.name === 'standarddemo')?.loginServer],
      ],
    );
    assert.notEqual(production[1].loginServer, emu.loginServer, 'the Standard registry has a data plane of its own');
    assert.equal(production[0].id, registryPath(CONTOSO_PRODUCTION_SUBSCRIPTION_ID, 'rg-streaming', 'streamingdemo'));
    assert.equal(production[0].provisioningState, 'Succeeded');

    const [cmk] = await collect(registryClient(emu, CONTOSO_SANDBOX_SUBSCRIPTION_ID, () => contoso).registries.list());
    assert.equal(cmk.name, 'cmkdemo');
    assert.equal(cmk.encryption?.status, 'enabled');
    assert.match(cmk.encryption?.keyVaultProperties?.keyIdentifier ?? '', /^https:\/\/.+\.vault\.azure\.net\/keys\//);

    const [fab] = await collect(registryClient(emu, FABRIKAM_DEV_SUBSCRIPTION_ID, () => fabrikam).registries.list());
    assert.deepEqual([fab.name, fab.location, fab.loginServer], ['fabrikamacr', 'westus2', emu.loginServer.replace('127.0.0.1', 'localhost')]);

    const raw = await arm(`/subscriptions/${CONTOSO_PRODUCTION_SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries?api-version=${GA}`);
    assert.equal(raw.body.value.length, 1);
    assert.ok(raw.body.nextLink.includes('%24skipToken=1'));
    const next = await arm(raw.body.nextLink.slice(emu.armUrl.length));
    assert.equal(next.body.value[0].name, 'standarddemo');
    assert.equal(next.body.nextLink, undefined);
  });

  it('gets one registry, matching path segments and names case-insensitively, with the recorded shape', async () => {
    const viaSdk = await registryClient(emu, CONTOSO_PRODUCTION_SUBSCRIPTION_ID, () => contoso).registries.get('rg-streaming', 'streamingdemo');
    assert.equal(viaSdk.loginServer, emu.loginServer);
    assert.equal(viaSdk.policies?.exportPolicy?.status, 'enabled');
    const raw = await arm(`/SUBSCRIPTIONS/${CONTOSO_PRODUCTION_SUBSCRIPTION_ID.toUpperCase()}/resourcegroups/RG-Streaming/providers/microsoft.containerregistry/REGISTRIES/StreamingDemo?api-version=${GA}`);
    assert.equal(raw.status, 200);
    assert.equal(raw.body.name, 'streamingdemo');
    assert.deepEqual(Object.keys(raw.body), ['sku', 'type', 'id', 'name', 'location', 'tags', 'systemData', 'properties']);
    assert.deepEqual(raw.body.sku, { name: 'Premium', tier: 'Premium' });
    assert.equal(raw.body.type, 'Microsoft.ContainerRegistry/registries');
    for (const key of ['loginServer', 'creationDate', 'provisioningState', 'adminUserEnabled', 'policies', 'encryption', 'dataEndpointEnabled', 'publicNetworkAccess', 'networkRuleBypassOptions', 'zoneRedundancy', 'anonymousPullEnabled']) {
      assert.ok(key in raw.body.properties, key);
    }
    assert.equal(raw.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(raw.headers.get('cache-control'), 'no-cache');
    assert.match(raw.headers.get('x-ms-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(raw.headers.get('x-ms-correlation-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it("answers ARM's 404s for an unknown registry, resource group and subscription", async () => {
    const missing = await arm(`${registryPath(CONTOSO_PRODUCTION_SUBSCRIPTION_ID, 'rg-streaming', 'nosuchacr')}?api-version=${GA}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      error: {
        code: 'ResourceNotFound',
        message: "The Resource 'Microsoft.ContainerRegistry/registries/nosuchacr' under resource group 'rg-streaming' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      },
    });
    await assert.rejects(
      registryClient(emu, CONTOSO_PRODUCTION_SUBSCRIPTION_ID, () => contoso).registries.get('rg-streaming', 'nosuchacr'),
      (e: RestError) => e.statusCode === 404 && e.code === 'ResourceNotFound',
    );
    const group = await arm(`${registryPath(CONTOSO_PRODUCTION_SUBSCRIPTION_ID, 'rg-nowhere', 'streamingdemo')}?api-version=${GA}`);
    assert.deepEqual([group.status, group.body.error.code], [404, 'ResourceGroupNotFound']);
    const sub = await arm(`/subscriptions/00000000-0000-4000-8000-000000000bad/providers/Microsoft.ContainerRegistry/registries?api-version=${GA}`);
    assert.deepEqual([sub.status, sub.body.error.code], [404, 'SubscriptionNotFound']);
    assert.match(sub.body.error.message, /00000000-0000-4000-8000-000000000bad/);
  });

  it('requires an api-version', async () => {
    const missing = await arm('/subscriptions');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
    assert.match(missing.body.error.message, /api-version/);
    const invalid = await arm('/subscriptions?api-version=latest');
    assert.deepEqual([invalid.status, invalid.body.error.code], [400, 'InvalidApiVersionParameter']);
  });

  it('refuses missing, forged, expired and wrong-audience tokens with a 401 and a Bearer challenge', async () => {
    const [header, payload] = contoso.split('.');
    const forged = `${header}.${payload}.${createHmac('sha256', 'guessed-key').update(`${header}.${payload}`).digest('base64url')}`;
    const cases: Array<[string, string | null]> = [
      ['missing', null],
      ['garbage', 'not.a.token'],
      ['forged', forged],
      ['expired', emu.issueEntraTestToken({ expiresInSeconds: -60 })],
      ['ACR audience', emu.issueEntraTestToken({ scopes: ['https://containerregistry.azure.net/.default'] })],
      ['Graph audience', emu.issueEntraTestToken({ scopes: ['https://graph.microsoft.com/.default'] })],
    ];
    for (const [label, token] of cases) {
      const reply = await arm('/subscriptions?api-version=2022-12-01', token);
      assert.equal(reply.status, 401, label);
      assert.equal(reply.body.error.code, 'InvalidAuthenticationToken', label);
      assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\/[^"]+", error="invalid_token", error_description="[^"]+"$/, label);
    }
    const expired = await arm('/subscriptions?api-version=2022-12-01', emu.issueEntraTestToken({ expiresInSeconds: -60 }));
    assert.match(expired.headers.get('www-authenticate') ?? '', new RegExp(`login\\.microsoftonline\\.com/${DEFAULT_TENANT_ID}"`));
    // Both ARM audiences, and the emulator's own URL (what the SDKs ask for with `endpoint`), are accepted.
    for (const scope of ['https://management.core.windows.net//.default', 'https://management.azure.com/.default', `${emu.armUrl}/.default`]) {
      assert.equal((await arm('/subscriptions?api-version=2022-12-01', emu.issueEntraTestToken({ scopes: [scope] }))).status, 200, scope);
    }
  });

  it("refuses a token of another tenant for a subscription, naming the subscription's tenant", async () => {
    const reply = await arm(`/subscriptions/${CONTOSO_PRODUCTION_SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries?api-version=${GA}`, fabrikam);
    assert.equal(reply.status, 401);
    assert.equal(reply.body.error.code, 'InvalidAuthenticationTokenTenant');
    assert.match(reply.body.error.message, new RegExp(`wrong issuer 'https://sts.windows.net/${FABRIKAM_TENANT_ID}/'.*tenant 'https://sts.windows.net/${DEFAULT_TENANT_ID}/' associated with this subscription`));
    assert.match(reply.headers.get('www-authenticate') ?? '', new RegExp(`authorization_uri="https://login.microsoftonline.com/${DEFAULT_TENANT_ID}"`));
    await assert.rejects(
      registryClient(emu, FABRIKAM_DEV_SUBSCRIPTION_ID, () => contoso).registries.get('rg-fab', 'fabrikamacr'),
      (e: RestError) => e.statusCode === 401 && e.code === 'InvalidAuthenticationTokenTenant',
    );
  });

  it('shows the soft delete policy to preview api-versions from 2023-01-01-preview only', async () => {
    const path = registryPath(CONTOSO_PRODUCTION_SUBSCRIPTION_ID, 'rg-streaming', 'streamingdemo');
    const preview = await arm(`${path}?api-version=${PREVIEW}`);
    assert.deepEqual(Object.keys(preview.body.properties.policies.softDeletePolicy), ['retentionDays', 'lastUpdatedTime', 'status']);
    assert.equal(preview.body.properties.policies.softDeletePolicy.retentionDays, 7);
    assert.equal(preview.body.properties.policies.softDeletePolicy.status, 'enabled');
    const standard = await arm(`${registryPath(CONTOSO_PRODUCTION_SUBSCRIPTION_ID, 'rg-legacy', 'standarddemo')}?api-version=${PREVIEW}`);
    assert.equal(standard.body.properties.policies.softDeletePolicy.status, 'disabled');
    for (const version of [GA, '2022-12-01-preview', '2023-01-01']) {
      const reply = await arm(`${path}?api-version=${version}`);
      assert.equal(reply.status, 200, version);
      assert.equal(reply.body.properties.policies.softDeletePolicy, undefined, version);
      assert.ok(reply.body.properties.policies.exportPolicy, version);
    }
    assert.ok((await arm(`${path}?api-version=2023-01-01-preview`)).body.properties.policies.softDeletePolicy);
  });

  it('hands out Entra test tokens shaped like Microsoft Entra v1 user tokens, for known tenants only', async () => {
    const post = (body: unknown) => fetch(`${emu.url}/_emulator/entra-token`, { method: 'POST', body: JSON.stringify(body) });
    const reply = await post({ tenantId: FABRIKAM_TENANT_ID, scopes: ['https://containerregistry.azure.net/.default'], objectId: 'f0f0f0f0-0000-4000-8000-000000000001' });
    assert.equal(reply.status, 200);
    const issued = (await reply.json()) as LooseJson;
    const claims = jwtPayload(issued.token);
    assert.equal(claims.aud, 'https://containerregistry.azure.net');
    assert.equal(claims.iss, `https://sts.windows.net/${FABRIKAM_TENANT_ID}/`);
    assert.equal(claims.tid, FABRIKAM_TENANT_ID);
    assert.equal(claims.oid, 'f0f0f0f0-0000-4000-8000-000000000001');
    assert.equal(claims.upn, 'dev@fabrikam.onmicrosoft.com');
    assert.equal(claims.unique_name, claims.upn);
    assert.deepEqual([claims.appid, claims.appidacr, claims.scp, claims.idtyp, claims.ver], [VSCODE_CLIENT_ID, '0', 'user_impersonation', 'user', '1.0']);
    assert.deepEqual(claims.amr, ['pwd']);
    for (const claim of ['aio', 'family_name', 'given_name', 'name', 'puid', 'rh', 'sub', 'uti', 'iat', 'nbf']) {
      assert.ok(claims[claim] !== undefined && claims[claim] !== '', claim);
    }
    assert.equal(issued.expiresOnTimestamp, claims.exp * 1000);
    assert.deepEqual(issued.account, { id: 'f0f0f0f0-0000-4000-8000-000000000001', label: 'dev@fabrikam.onmicrosoft.com', tenantId: FABRIKAM_TENANT_ID });

    const byDefault = jwtPayload(((await (await post({})).json()) as LooseJson).token);
    assert.deepEqual([byDefault.aud, byDefault.tid, byDefault.upn], ['https://management.azure.com/', DEFAULT_TENANT_ID, 'dev@contoso.onmicrosoft.com']);
    const unknown = await post({ tenantId: '11111111-2222-4333-8444-555555555555' });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as LooseJson).errors[0].message, /unknown tenant/);
  });

  it('applies fault rules to ARM requests, with ARM-shaped bodies', async () => {
    emu.setFaults([{ match: '^GET /subscriptions\\?', kind: 'status', status: 429, retryAfterSeconds: 3, times: 1 }]);
    const limited = await arm('/subscriptions?api-version=2022-12-01');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.equal(limited.body.error.code, 'TooManyRequests');
    assert.equal((await arm('/subscriptions?api-version=2022-12-01')).status, 200);

    emu.setFaults([{ match: '/registries', kind: 'drop', times: 1 }]);
    await assert.rejects(arm(`/subscriptions/${CONTOSO_PRODUCTION_SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries?api-version=${GA}`), /fetch failed/);
    assert.equal((await arm(`/subscriptions/${CONTOSO_PRODUCTION_SUBSCRIPTION_ID}/providers/Microsoft.ContainerRegistry/registries?api-version=${GA}`)).status, 200);

    emu.setFaults([{ match: '^GET /tenants', kind: 'status', status: 503, afterHandling: true, times: 1 }]);
    const lost = await arm('/tenants?api-version=2022-12-01');
    assert.deepEqual([lost.status, lost.body.error.code], [503, 'ServiceUnavailable']);
  });

  it('names the ARM URL and the Azure fixture in /_emulator/info', async () => {
    const info = (await (await fetch(`${emu.url}/_emulator/info`)).json()) as LooseJson;
    assert.equal(info.armUrl, emu.armUrl);
    assert.deepEqual(
      info.azure.registries.map((r: LooseJson) => [r.name, r.loginServer]),
      emu.azure.registries.map((r) => [r.name, r.loginServer]),
    );
    assert.match(emu.armUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
