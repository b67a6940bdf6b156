/**
 * Authentication against the emulator: ACR's challenge, Basic credentials, the token
 * endpoints (password, refresh, Entra exchange), scopes, repository-scoped tokens, anonymous pull.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { LooseJson } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage } from './support/registryPush';

const UNAUTHORIZED_BODY = {
  errors: [{ code: 'UNAUTHORIZED', message: 'authentication required, visit https://aka.ms/acr/authorization for more information.', detail: null }],
};

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

function jwtPayload(token: string): Record<string, LooseJson> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('emulator: authentication', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let admin: string;

  before(async () => {
    emu = await startTestEmulator({ tokens: [{ username: 'ci-token', password: 'ci-secret', scopes: ['repository:team/app:pull,push'] }] });
    admin = basicHeader(emu.username, emu.password);
    await pushImage(emu, 'team/app', 'v1');
    await pushImage(emu, 'other/app', 'v1');
  });
  after(async () => {
    await emu?.stop();
  });

  async function tokenFor(scope: string, authorization = admin): Promise<string> {
    const response = await fetch(`${emu.url}/oauth2/token?service=${emu.loginServer}&scope=${encodeURIComponent(scope)}`, { headers: { Authorization: authorization } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access_token: string };
    return body.access_token;
  }

  it('challenges an anonymous GET /v2/ exactly as ACR does', async () => {
    const response = await fetch(`${emu.url}/v2/`);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${emu.url}/oauth2/token",service="${emu.loginServer}"`);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('docker-distribution-api-version'), 'registry/2.0');
    assert.deepEqual(await response.json(), UNAUTHORIZED_BODY);
  });

  it('names the needed scope in the challenge of a repository call', async () => {
    const tags = await fetch(`${emu.url}/acr/v1/team/app/_tags`);
    assert.equal(tags.status, 401);
    assert.match(tags.headers.get('www-authenticate') ?? '', /,scope="repository:team\/app:metadata_read"$/);
    const streaming = await fetch(`${emu.url}/acr/v1/team/app/_streaming`, { method: 'POST', body: '{}' });
    assert.match(streaming.headers.get('www-authenticate') ?? '', /scope="repository:team\/app:pull,push"/);
    const catalog = await fetch(`${emu.url}/acr/v1/_catalog`);
    assert.match(catalog.headers.get('www-authenticate') ?? '', /scope="registry:catalog:\*"/);
  });

  it('accepts the admin user with Basic credentials and refuses a wrong password', async () => {
    assert.equal((await fetch(`${emu.url}/v2/`, { headers: { Authorization: admin } })).status, 200);
    assert.equal((await fetch(`${emu.url}/acr/v1/_catalog`, { headers: { Authorization: admin } })).status, 200);
    const wrong = await fetch(`${emu.url}/v2/`, { headers: { Authorization: basicHeader(emu.username, 'nope') } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), UNAUTHORIZED_BODY);
    const token = await fetch(`${emu.url}/oauth2/token?scope=repository:team/app:pull`, { headers: { Authorization: basicHeader('x', 'y') } });
    assert.equal(token.status, 401);
  });

  it('issues scoped access tokens that cover exactly their scope', async () => {
    const token = await tokenFor('repository:team/app:pull');
    const claims = jwtPayload(token);
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
    assert.equal(claims.aud, emu.loginServer);
    assert.ok(claims.exp - claims.iat <= 3600);
    const bearer = { Authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${emu.url}/acr/v1/team/app/_tags`, { headers: bearer })).status, 200);
    assert.equal((await fetch(`${emu.url}/acr/v1/team/app/_streaming`, { headers: bearer })).status, 200);
    const other = await fetch(`${emu.url}/acr/v1/other/app/_tags`, { headers: bearer });
    assert.equal(other.status, 401);
    assert.match(other.headers.get('www-authenticate') ?? '', /scope="repository:other\/app:metadata_read",error="insufficient_scope"/);
    // pull does not allow push.
    const push = await fetch(`${emu.url}/acr/v1/team/app/_streaming`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{"convertPushedImages":false}' });
    assert.equal(push.status, 401);
    assert.match(push.headers.get('www-authenticate') ?? '', /scope="repository:team\/app:pull,push"/);
    const garbage = await fetch(`${emu.url}/v2/`, { headers: { Authorization: 'Bearer not.a.token' } });
    assert.equal(garbage.status, 401);
    assert.match(garbage.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('does the Entra exchange, refresh and password grants with the recorded shapes', async () => {
    const entra = emu.issueEntraTestToken({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    const exchange = await fetch(
      `${emu.url}/oauth2/exchange`,
      form({ grant_type: 'access_token', service: emu.loginServer, tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', access_token: entra }),
    );
    assert.equal(exchange.status, 200);
    const exchanged = (await exchange.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(exchanged), ['refresh_token']);
    assert.ok(jwtPayload(exchanged.refresh_token).exp > Date.now() / 1000);

    const token = await fetch(
      `${emu.url}/oauth2/token`,
      form({ grant_type: 'refresh_token', service: emu.loginServer, scope: 'repository:team/app:pull,push', refresh_token: exchanged.refresh_token }),
    );
    assert.equal(token.status, 200);
    const issued = (await token.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(issued), ['access_token']);
    assert.deepEqual(jwtPayload(issued.access_token).access, [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
    const settings = await fetch(`${emu.url}/acr/v1/team/app/_streaming`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
    assert.equal(settings.status, 200);

    // The recorded password grant: null-GUID user, the previous access token as password.
    const password = await fetch(
      `${emu.url}/oauth2/token`,
      form({ service: emu.loginServer, grant_type: 'password', username: '00000000-0000-0000-0000-000000000000', password: issued.access_token, scope: 'repository:team/app:pull' }),
    );
    assert.equal(password.status, 200);
    assert.deepEqual(jwtPayload(((await password.json()) as { access_token: string }).access_token).access, [
      { type: 'repository', name: 'team/app', actions: ['pull'] },
    ]);
    // A refresh token is not an access token.
    assert.equal((await fetch(`${emu.url}/v2/`, { headers: { Authorization: `Bearer ${exchanged.refresh_token}` } })).status, 401);
  });

  it('rejects expired, forged and wrong-tenant Entra tokens', async () => {
    const exchange = (token: string, tenant = '') =>
      fetch(`${emu.url}/oauth2/exchange`, form({ grant_type: 'access_token', service: emu.loginServer, tenant, access_token: token }));
    const expired = await exchange(emu.issueEntraTestToken({ expiresInSeconds: -30 }));
    assert.equal(expired.status, 401);
    const expiredBody = (await expired.json()) as { errors: Array<{ code: string; message: string }> };
    assert.equal(expiredBody.errors[0].code, 'UNAUTHORIZED');
    assert.match(expiredBody.errors[0].message, /expired/);

    const genuine = emu.issueEntraTestToken();
    const [header, payload] = genuine.split('.');
    const forged = `${header}.${payload}.${createHmac('sha256', 'guessed-key').update(`${header}.${payload}`).digest('base64url')}`;
    assert.equal((await exchange(forged)).status, 401);
    // An ACR access token is not an Entra token either.
    assert.equal((await exchange(await tokenFor('repository:team/app:pull'))).status, 401);
    assert.equal((await exchange(emu.issueEntraTestToken({ tenantId: 'tenant-a' }), 'tenant-b')).status, 401);
    assert.equal((await exchange(emu.issueEntraTestToken({ tenantId: 'tenant-a' }), 'tenant-a')).status, 200);
    const wrongService = await fetch(`${emu.url}/oauth2/exchange`, form({ grant_type: 'access_token', service: 'other.azurecr.io', access_token: genuine }));
    assert.equal(wrongService.status, 400);
  });

  it('hands out Entra test tokens over HTTP for out-of-process tests', async () => {
    const response = await fetch(`${emu.url}/_emulator/entra-token`, { method: 'POST', body: JSON.stringify({ objectId: 'user-1' }) });
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    assert.equal(jwtPayload(token).oid, 'user-1');
    const exchange = await fetch(`${emu.url}/oauth2/exchange`, form({ grant_type: 'access_token', service: emu.loginServer, access_token: token }));
    assert.equal(exchange.status, 200);
  });

  it('keeps a repository-scoped token inside its scope', async () => {
    const ci = basicHeader('ci-token', 'ci-secret');
    assert.equal((await fetch(`${emu.url}/acr/v1/team/app/_tags`, { headers: { Authorization: ci } })).status, 200);
    const denied = await fetch(`${emu.url}/acr/v1/other/app/_tags`, { headers: { Authorization: ci } });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { errors: Array<{ code: string }> }).errors[0].code, 'DENIED');
    assert.equal((await fetch(`${emu.url}/acr/v1/_catalog`, { headers: { Authorization: ci } })).status, 403);
    assert.equal((await fetch(`${emu.url}/v2/other/app/manifests/v1`, { headers: { Authorization: ci } })).status, 403);
    // Through the token endpoint: the out-of-scope part is simply not granted.
    const token = await tokenFor('repository:other/app:pull repository:team/app:pull', ci);
    assert.deepEqual(jwtPayload(token).access, [
      { type: 'repository', name: 'other/app', actions: [] },
      { type: 'repository', name: 'team/app', actions: ['pull'] },
    ]);
    assert.equal((await fetch(`${emu.url}/v2/other/app/manifests/v1`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);
    assert.equal((await fetch(`${emu.url}/v2/team/app/tags/list`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await fetch(`${emu.url}/oauth2/token?scope=repository:team/app:pull`, { headers: { Authorization: basicHeader('ci-token', 'bad') } })).status, 401);
  });

  it('allows anonymous pulls only when asked to', async () => {
    assert.equal((await fetch(`${emu.url}/v2/team/app/manifests/v1`)).status, 401);
    const open = await startTestEmulator({ anonymousPull: true });
    try {
      const image = await pushImage(open, 'public/app', 'v1');
      assert.equal((await fetch(`${open.url}/v2/`)).status, 200);
      const manifest = await fetch(`${open.url}/v2/public/app/manifests/v1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
      assert.equal(manifest.status, 200);
      assert.equal(manifest.headers.get('docker-content-digest'), image.digest);
      assert.equal((await fetch(`${open.url}/acr/v1/public/app/_tags`)).status, 200);
      const push = await fetch(`${open.url}/v2/public/app/blobs/uploads/`, { method: 'POST' });
      assert.equal(push.status, 401);
      assert.match(push.headers.get('www-authenticate') ?? '', /scope="repository:public\/app:pull,push"/);
      assert.equal((await fetch(`${open.url}/acr/v1/_catalog`)).status, 401);
      const anonymousToken = await fetch(`${open.url}/oauth2/token`, form({ grant_type: 'password', service: open.loginServer, scope: 'repository:public/app:pull,push' }));
      assert.equal(anonymousToken.status, 200);
      assert.deepEqual(jwtPayload(((await anonymousToken.json()) as { access_token: string }).access_token).access, [
        { type: 'repository', name: 'public/app', actions: ['pull'] },
      ]);
    } finally {
      await open.stop();
    }
  });
});
