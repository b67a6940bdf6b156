import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import { AcrStreamingError } from '../../../src/core/errors';
import { redactSecrets, type Logger } from '../../../src/core/logger';
import { parseRegistry } from '../../../src/core/reference';
import { parseChallenge } from '../../../src/core/auth/challenge';
import { scopeForRequest, repositoryOfPath } from '../../../src/core/auth/scopes';
import { fakeJwt, json, startScriptedServer, type ScriptedServer } from './support/scriptedServer';

const fast = { maxRetries: 2, retryDelayMs: 5, timeoutMs: 2000 };

function capturingLogger(lines: string[]): Logger {
  const push = (m: string) => lines.push(m);
  return { trace: push, debug: push, info: push, warn: push, error: push };
}

/** A registry that wants a bearer token for repository scopes, issued for basic credentials. */
function tokenRegistry(server: ScriptedServer, options: { realm?: string; tokenExp?: number } = {}) {
  const issued: string[] = [];
  server.handle((req, res) => {
    if (req.path.startsWith('/oauth2/token')) {
      const expected = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
      if (req.headers.authorization !== expected) {
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
      }
      const token = fakeJwt(options.tokenExp ?? Math.floor(Date.now() / 1000) + 3600, { n: issued.length });
      issued.push(token);
      return json(res, 200, { access_token: token });
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !issued.includes(auth.slice(7)) || (options.tokenExp !== undefined && options.tokenExp * 1000 < Date.now())) {
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'www-authenticate': `Bearer realm="${options.realm ?? server.baseUrl + '/oauth2/token'}",service="${new URL(server.baseUrl).host}",scope="repository:samples/hello:pull"`,
      });
    }
    return json(res, 200, { convertPushedImages: true });
  });
  return issued;
}

describe('ACR authentication', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  it('answers a bearer challenge with basic credentials on the token endpoint and caches the token per scope', async () => {
    const issued = tokenRegistry(server);
    const lines: string[] = [];
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'basic', username: 'admin', password: 's3cret' }, { ...fast, logger: capturingLogger(lines) });
    assert.equal((await conn.streaming.getRepositoryState('samples/hello')).convertPushedImages, true);
    assert.equal((await conn.streaming.getRepositoryState('samples/hello')).convertPushedImages, true);
    assert.equal(issued.length, 1, 'one token for two calls of one scope');
    const tokenRequest = server.seen.find((r) => r.path.startsWith('/oauth2/token'))!;
    const query = new URL(tokenRequest.path, server.baseUrl).searchParams;
    assert.equal(query.get('scope'), 'repository:samples/hello:pull');
    assert.equal(query.get('service'), new URL(server.baseUrl).host);
    // The second call went straight through with the cached token: no second 401.
    assert.equal(server.seen.filter((r) => r.path === '/acr/v1/samples/hello/_streaming').length, 3);
    const logged = lines.join('\n');
    assert.doesNotMatch(logged, /s3cret/);
    assert.doesNotMatch(logged, new RegExp(issued[0].split('.')[1]));
  });

  it('gets a new token once when the cached one is refused (expired)', async () => {
    const issued = tokenRegistry(server);
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'basic', username: 'admin', password: 's3cret' }, fast);
    await conn.streaming.getRepositoryState('samples/hello');
    issued.splice(0); // the registry forgets every token it issued
    await conn.streaming.getRepositoryState('samples/hello');
    assert.equal(server.seen.filter((r) => r.path.startsWith('/oauth2/token')).length, 2);
  });

  it('reports wrong credentials as UNAUTHORIZED without echoing the password', async () => {
    tokenRegistry(server);
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'basic', username: 'admin', password: 'wrong-pass' }, fast);
    await assert.rejects(conn.streaming.getRepositoryState('samples/hello'), (error: unknown) => {
      assert.ok(error instanceof AcrStreamingError);
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.doesNotMatch(`${error.message} ${error.hint}`, /wrong-pass/);
      return true;
    });
  });

  it('never sends credentials to a realm on another host', async () => {
    tokenRegistry(server, { realm: 'http://127.0.0.2:1/oauth2/token' });
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'basic', username: 'admin', password: 's3cret' }, fast);
    await assert.rejects(conn.streaming.getRepositoryState('samples/hello'), /another host/);
    assert.ok(server.seen.every((r) => !r.path.startsWith('/oauth2/')));
  });

  it('stays anonymous when no credentials are given: the 401 becomes UNAUTHORIZED', async () => {
    tokenRegistry(server);
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast);
    await assert.rejects(conn.streaming.getRepositoryState('samples/hello'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED' && e.status === 401);
    assert.equal(server.seen.length, 1);
  });

  it('uses an Entra token through /oauth2/exchange, then refresh-token grants per scope', async () => {
    server.handle((req, res) => {
      if (req.path === '/oauth2/exchange') {
        const form = new URLSearchParams(req.body);
        return form.get('access_token') === 'entra-token' ? json(res, 200, { refresh_token: fakeJwt(Math.floor(Date.now() / 1000) + 10800) }) : json(res, 401, {});
      }
      if (req.path === '/oauth2/token') {
        const form = new URLSearchParams(req.body);
        return json(res, 200, { access_token: fakeJwt(Math.floor(Date.now() / 1000) + 3600, { scope: form.get('scope') }) });
      }
      if (!req.headers.authorization) {
        return json(res, 401, {}, { 'www-authenticate': `Bearer realm="${server.baseUrl}/oauth2/token",service="reg"` });
      }
      return json(res, 200, { convertPushedImages: false });
    });
    let calls = 0;
    const credential = { getToken: async () => ({ token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const conn = connect(parseRegistry(server.baseUrl), { kind: 'entra', credential: { getToken: async (...a: unknown[]) => (calls++, credential.getToken(...(a as []))) } }, fast);
    await conn.streaming.getRepositoryState('one');
    await conn.streaming.getRepositoryState('two');
    assert.equal(server.seen.filter((r) => r.path === '/oauth2/exchange').length, 1, 'the refresh token is cached');
    assert.equal(calls, 1);
    const scopes = server.seen.filter((r) => r.path === '/oauth2/token').map((r) => new URLSearchParams(r.body).get('scope'));
    assert.deepEqual(scopes, ['repository:one:pull', 'repository:two:pull']);
    conn.clearTokens();
    await conn.streaming.getRepositoryState('one');
    assert.equal(server.seen.filter((r) => r.path === '/oauth2/exchange').length, 2, 'clearTokens forgets the refresh token');
  });
});

describe('challenge and scope parsing', () => {
  it('parses quoted and bare auth-params', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://r.io/oauth2/token",service="r.io",scope="repository:a/b:pull,push"'), {
      scheme: 'bearer',
      params: { realm: 'https://r.io/oauth2/token', service: 'r.io', scope: 'repository:a/b:pull,push' },
    });
    assert.deepEqual(parseChallenge('Basic realm=registry'), { scheme: 'basic', params: { realm: 'registry' } });
    assert.equal(parseChallenge(''), undefined);
  });

  it('derives the scope a request needs', () => {
    assert.equal(scopeForRequest('GET', 'https://r.io/acr/v1/_catalog?n=10'), 'registry:catalog:*');
    assert.equal(scopeForRequest('GET', 'https://r.io/acr/v1/a/b/_tags?n=1'), 'repository:a/b:pull');
    assert.equal(scopeForRequest('POST', 'https://r.io/acr/v1/a/_streaming/sha256:x'), 'repository:a:pull,push');
    assert.equal(scopeForRequest('DELETE', 'https://r.io/acr/v1/a/_tags/1.0'), 'repository:a:delete');
    assert.equal(scopeForRequest('DELETE', 'https://r.io/v2/a/manifests/sha256:x'), 'repository:a:delete');
    assert.equal(scopeForRequest('GET', 'https://r.io/v2/a/b/c/manifests/1.0'), 'repository:a/b/c:pull');
    assert.equal(scopeForRequest('GET', 'https://r.io/v2/'), undefined);
    assert.equal(repositoryOfPath('/acr/v1/a/_operations/x:cancel'), 'a');
    assert.equal(repositoryOfPath('/v2/a/referrers/sha256:x'), 'a');
  });
});

describe('redactSecrets', () => {
  it('removes authorization values, JWTs and secret form fields', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
    const text = `Authorization: Bearer ${jwt} Basic YWRtaW46czNjcmV0 password=hunter2&x=1 {"refresh_token":"abc"}`;
    const redacted = redactSecrets(text);
    for (const secret of [jwt, 'YWRtaW46czNjcmV0', 'hunter2', '"abc"']) {
      assert.ok(!redacted.includes(secret), `${secret} leaked: ${redacted}`);
    }
    assert.match(redacted, /x=1/);
  });

  it('leaves prose about auth schemes alone', () => {
    assert.equal(redactSecrets('--auth basic needs a username; Basic authentication failed'), '--auth basic needs a username; Basic authentication failed');
  });
});
