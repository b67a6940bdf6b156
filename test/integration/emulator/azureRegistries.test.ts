/**
 * The data planes of the Azure fixture's registries: the Standard and the customer-managed-key
 * registries have listeners of their own over the same storage, refuse artifact streaming, and
 * do the Entra → ACR token exchange for their own login server only.
 */
import assert from 'node:assert/strict';
import type { AzureRegistryFixture } from '../../../emulator/index';
import { call, type LooseJson } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage, type Pushed } from './support/registryPush';

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

function jwtPayload(token: string): Record<string, LooseJson> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('emulator: Azure registries on their own listeners', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let image: Pushed;
  let standard: AzureRegistryFixture;
  let cmk: AzureRegistryFixture;

  const registry = (name: string) => {
    const found = emu.azure.registries.find((r) => r.name === name);
    assert.ok(found, name);
    return found;
  };
  const as = (r: AzureRegistryFixture) => ({ url: r.url, username: emu.username, password: emu.password });

  before(async () => {
    emu = await startTestEmulator({ conversionBytesPerSecond: 0 });
    image = await pushImage(emu, 'shared/app', 'v1');
    standard = registry('standarddemo');
    cmk = registry('cmkdemo');
  });
  after(async () => {
    await emu?.stop();
  });

  it('serves the same repositories on every listener', async () => {
    assert.equal(registry('streamingdemo').loginServer, emu.loginServer);
    const servers = new Set([emu.loginServer, standard.loginServer, cmk.loginServer]);
    assert.equal(servers.size, 3, 'three distinct login servers');
    for (const target of [as(standard), as(cmk)]) {
      const catalog = await call(target, 'GET', '/acr/v1/_catalog');
      assert.equal(catalog.status, 200, target.url);
      assert.ok(catalog.body.repositories.includes('shared/app'), target.url);
      const tag = await call(target, 'GET', '/acr/v1/shared/app/_tags/v1');
      assert.equal(tag.body.tag.digest, image.digest, target.url);
    }
    // The challenge of a listener names that listener.
    const challenge = await fetch(`${standard.url}/v2/`);
    assert.equal(challenge.status, 401);
    assert.equal(challenge.headers.get('www-authenticate'), `Bearer realm="${standard.url}/oauth2/token",service="${standard.loginServer}"`);
  });

  it('refuses artifact streaming on the Standard and the customer-managed-key registries', async () => {
    const body = { conversionFormat: 'overlaybd', conversionVersion: 'v1' };
    const onStandard = await call(as(standard), 'POST', `/acr/v1/shared/app/_streaming/${image.digest}`, body);
    assert.equal(onStandard.status, 400);
    assert.equal(onStandard.body.errors[0].code, 'UNSUPPORTED');
    assert.match(onStandard.body.errors[0].message, /only available for Premium SKU registries/);
    const settings = await call(as(standard), 'GET', '/acr/v1/shared/app/_streaming');
    assert.equal(settings.status, 400);
    const onCmk = await call(as(cmk), 'POST', `/acr/v1/shared/app/_streaming/${image.digest}`, body);
    assert.equal(onCmk.status, 400);
    assert.match(onCmk.body.errors[0].message, /customer-managed keys/);
    assert.equal((await call(as(cmk), 'POST', '/acr/v1/shared/app/_streaming', { convertPushedImages: true })).status, 400);
    // The Premium registry of the same storage converts it.
    const onPremium = await call(emu, 'POST', `/acr/v1/shared/app/_streaming/${image.digest}`, body);
    assert.equal(onPremium.status, 202);
  });

  it("does the Entra exchange on each listener, and keeps each listener's ACR tokens to itself", async () => {
    const exchange = async (target: AzureRegistryFixture, entra: string) =>
      fetch(`${target.url}/oauth2/exchange`, form({ grant_type: 'access_token', service: target.loginServer, tenant: emu.tenantId, access_token: entra }));
    const accessToken = async (target: AzureRegistryFixture, entra: string) => {
      const exchanged = await exchange(target, entra);
      assert.equal(exchanged.status, 200, target.loginServer);
      const { refresh_token } = (await exchanged.json()) as { refresh_token: string };
      const token = await fetch(
        `${target.url}/oauth2/token`,
        form({ grant_type: 'refresh_token', service: target.loginServer, scope: 'repository:shared/app:pull', refresh_token }),
      );
      assert.equal(token.status, 200);
      return ((await token.json()) as { access_token: string }).access_token;
    };
    // An ARM token and an ACR-audience token are both accepted by the exchange.
    const onStandard = await accessToken(standard, emu.issueEntraTestToken());
    assert.equal(jwtPayload(onStandard).aud, standard.loginServer);
    const onCmk = await accessToken(cmk, emu.issueEntraTestToken({ scopes: ['https://containerregistry.azure.net/.default'] }));

    const tags = (target: { url: string }, token: string) => fetch(`${target.url}/acr/v1/shared/app/_tags`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await tags(standard, onStandard)).status, 200);
    assert.equal((await tags(cmk, onCmk)).status, 200);
    const elsewhere = await tags(emu, onStandard);
    assert.equal(elsewhere.status, 401);
    assert.match(elsewhere.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal((await tags(cmk, onStandard)).status, 401);
    assert.equal((await tags(standard, onCmk)).status, 401);

    // A token asked for the main listener's localhost name (the Fabrikam registry) names it, and works there.
    const fabrikam = registry('fabrikamacr');
    const onLocalhost = await accessToken({ ...fabrikam, url: emu.url }, emu.issueEntraTestToken());
    assert.equal(jwtPayload(onLocalhost).aud, fabrikam.loginServer);
    assert.equal((await tags(emu, onLocalhost)).status, 200);

    // Audiences other than ARM's and ACR's are refused.
    const graph = await exchange(standard, emu.issueEntraTestToken({ scopes: ['https://graph.microsoft.com/.default'] }));
    assert.equal(graph.status, 401);
    assert.match(((await graph.json()) as LooseJson).errors[0].message, /graph\.microsoft\.com/);
    // A login server of another listener is not this one's service.
    assert.equal((await fetch(`${standard.url}/oauth2/exchange`, form({ grant_type: 'access_token', service: cmk.loginServer, access_token: emu.issueEntraTestToken() }))).status, 400);
  });
});
