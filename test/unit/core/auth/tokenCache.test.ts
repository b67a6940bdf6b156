import * as assert from 'node:assert/strict';
import { AcrAuthenticator } from '../../../../src/core/auth/acrAuthPolicy';
import { EXPIRY_MARGIN_MS, TokenCache, UNKNOWN_LIFETIME_MS } from '../../../../src/core/auth/tokenCache';
import { HttpTransport, type TransportOptions } from '../../../../src/core/http/transport';
import { silentLogger } from '../../../../src/core/logger';
import { parseRegistry } from '../../../../src/core/reference';
import { FakeClock } from '../../support/fakeClock';
import { fakeJwt, json, startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const HOUR_MS = 3_600_000;

describe('TokenCache expiry', () => {
  it('keeps a token until its expiry minus the margin, then drops it', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(() => clock.now());
    const token = fakeJwt((clock.now() + HOUR_MS) / 1000);
    cache.set('scope', token);
    await clock.advance(HOUR_MS - EXPIRY_MARGIN_MS - 1);
    assert.equal(cache.get('scope'), token, 'still valid one millisecond before the margin');
    await clock.advance(1);
    assert.equal(cache.get('scope'), undefined, 'dropped at expiry minus the margin');
  });

  it('gives a token without a readable expiry a short lifetime', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(() => clock.now());
    cache.set('scope', 'opaque-token');
    await clock.advance(UNKNOWN_LIFETIME_MS - 1);
    assert.equal(cache.get('scope'), 'opaque-token');
    await clock.advance(1);
    assert.equal(cache.get('scope'), undefined);
  });

  it('never keeps a token that expires within the margin', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(() => clock.now());
    cache.set('scope', fakeJwt((clock.now() + EXPIRY_MARGIN_MS / 2) / 1000));
    assert.equal(cache.get('scope'), undefined);
  });
});

describe('AcrAuthenticator refresh on a controlled clock', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  it('uses a token until expiry minus the margin, then gets a new one before the registry has to refuse it', async () => {
    const clock = new FakeClock();
    const issued: string[] = [];
    server.handle((req, res) => {
      if (req.path.startsWith('/oauth2/token')) {
        issued.push(fakeJwt((clock.now() + HOUR_MS) / 1000, { n: issued.length }));
        return json(res, 200, { access_token: issued[issued.length - 1] });
      }
      // The registry itself never expires tokens: a refresh can only come from the cache.
      return issued.some((t) => req.headers.authorization === `Bearer ${t}`)
        ? json(res, 200, {})
        : json(res, 401, {}, { 'www-authenticate': `Bearer realm="${server.baseUrl}/oauth2/token",service="reg",scope="repository:samples/hello:pull"` });
    });
    const options: TransportOptions = { logger: silentLogger, userAgent: 'test', timeoutMs: 2000, maxRetries: 0, retryDelayMs: 5 };
    const endpoint = parseRegistry(server.baseUrl);
    const auth = new AcrAuthenticator(endpoint, { kind: 'basic', username: 'admin', password: 's3cret' }, HttpTransport.tokenSender(options), silentLogger, () => clock.now());
    const http = new HttpTransport(endpoint, options, auth.policy());
    const read = () => http.send({ method: 'GET', path: '/v2/samples/hello/manifests/1.0', what: 'Reading a manifest' });
    const tokenRequests = () => server.seen.filter((r) => r.path.startsWith('/oauth2/token')).length;

    await read();
    assert.equal(tokenRequests(), 1);
    await clock.advance(HOUR_MS - EXPIRY_MARGIN_MS - 1_000);
    await read();
    assert.equal(tokenRequests(), 1, 'the cached token is used until the margin');
    await clock.advance(1_000);
    await read();
    assert.equal(tokenRequests(), 2, 'a new token at expiry minus the margin');
    const last = server.seen[server.seen.length - 1];
    assert.equal(last.headers.authorization, `Bearer ${issued[1]}`);
  });
});
