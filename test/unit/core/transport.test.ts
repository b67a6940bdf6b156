import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import { AcrStreamingError } from '../../../src/core/errors';
import { parseRegistry } from '../../../src/core/reference';
import { json, resetMidBody, startScriptedServer, type ScriptedServer } from './support/scriptedServer';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const fast = { maxRetries: 3, retryDelayMs: 5, timeoutMs: 300 };

describe('transport faults', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  const conn = () => connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast);

  it('retries 5xx on reads and succeeds', async () => {
    let n = 0;
    server.handle((_req, res) => (++n < 3 ? json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] }) : json(res, 200, { convertPushedImages: true })));
    assert.equal((await conn().streaming.getRepositoryState('a')).convertPushedImages, true);
    assert.equal(n, 3);
  });

  it('honours Retry-After on 429', async () => {
    let n = 0;
    const times: number[] = [];
    server.handle((_req, res) => {
      times.push(Date.now());
      return ++n === 1 ? json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '1' }) : json(res, 200, { convertPushedImages: false });
    });
    await conn().streaming.getRepositoryState('a');
    assert.ok(times[1] - times[0] >= 900, `waited ${times[1] - times[0]} ms`);
  });

  it('refuses a Retry-After beyond the cap at once, with TOO_MANY_REQUESTS that says when to retry', async () => {
    server.handle((_req, res) => json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '3600' }));
    const started = Date.now();
    const capped = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, { ...fast, maxRetryAfterMs: 1_500 });
    await assert.rejects(capped.streaming.getRepositoryState('a'), (e: unknown) => {
      assert.ok(e instanceof AcrStreamingError);
      assert.equal(e.code, 'TOO_MANY_REQUESTS');
      assert.equal(e.retryAfterMs, 3_600_000);
      assert.match(e.message, /throttled.*retry after 60 min/);
      return true;
    });
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    assert.equal(server.seen.length, 1, 'no retry after a refused wait');
  });

  it('says when to retry from the retry-after-ms header the retry policy refused to wait out', async () => {
    server.handle((_req, res) => json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after-ms': '3600000' }));
    const capped = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, { ...fast, maxRetryAfterMs: 1_500 });
    await assert.rejects(capped.streaming.getRepositoryState('a'), (e: unknown) => {
      assert.ok(e instanceof AcrStreamingError);
      assert.equal(e.code, 'TOO_MANY_REQUESTS');
      assert.equal(e.retryAfterMs, 3_600_000);
      return true;
    });
    assert.equal(server.seen.length, 1, 'no retry after a refused wait');
  });

  it('waits out a Retry-After within the cap on 503 too', async () => {
    let n = 0;
    const times: number[] = [];
    server.handle((_req, res) => {
      times.push(Date.now());
      return ++n === 1 ? json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] }, { 'retry-after': '1' }) : json(res, 200, { convertPushedImages: true });
    });
    const capped = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, { ...fast, maxRetryAfterMs: 1_500 });
    assert.equal((await capped.streaming.getRepositoryState('a')).convertPushedImages, true);
    assert.ok(times[1] - times[0] >= 900, `waited ${times[1] - times[0]} ms`);
  });

  it('throttled token requests fail with when to retry, not after the wait', async () => {
    server.handle((req, res) => {
      if (req.path.startsWith('/oauth2/token')) {
        return json(res, 429, {}, { 'retry-after': '600' });
      }
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${server.baseUrl}/oauth2/token",service="127.0.0.1"` });
      res.end();
    });
    const started = Date.now();
    const capped = connect(parseRegistry(server.baseUrl), { kind: 'basic', username: 'u', password: 'p' }, { ...fast, maxRetryAfterMs: 1_000 });
    await assert.rejects(capped.streaming.getRepositoryState('a'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'TOO_MANY_REQUESTS' && e.retryAfterMs === 600_000 && /retry after 10 min/.test(e.message));
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  });

  it('retries a read whose connection dropped in the middle of the body', async () => {
    let n = 0;
    server.handle((_req, res) => (++n === 1 ? resetMidBody(res, 200, { convertPushedImages: true, padding: 'x'.repeat(2_000) }) : json(res, 200, { convertPushedImages: true })));
    assert.equal((await conn().streaming.getRepositoryState('a')).convertPushedImages, true);
    assert.equal(n, 2);
  });

  it('never repeats a conversion POST whose reply broke off in the body', async () => {
    server.handle((_req, res) => resetMidBody(res, 202, { id: 'op-1', status: 'Running', padding: 'x'.repeat(2_000) }));
    await assert.rejects(conn().streaming.startConversion('a', DIGEST), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NETWORK');
    assert.equal(server.seen.length, 1);
  });

  it('the registry SDK pipeline has the same cap and retries a body that broke off', async () => {
    let n = 0;
    server.handle((_req, res) => {
      n += 1;
      if (n === 1) {
        return resetMidBody(res, 200, { repositories: ['a', 'b'], padding: 'x'.repeat(2_000) });
      }
      return n === 2 ? json(res, 200, { repositories: ['a', 'b'] }) : json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, { 'retry-after': '3600' });
    });
    const capped = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, { ...fast, maxRetryAfterMs: 1_000 });
    assert.deepEqual((await capped.registry.listRepositories()).items, ['a', 'b']);
    assert.equal(n, 2, 'the broken listing was retried once');
    const started = Date.now();
    await assert.rejects(capped.registry.listRepositories(), (e: unknown) => e instanceof AcrStreamingError && e.code === 'TOO_MANY_REQUESTS' && e.retryAfterMs === 3_600_000 && /retry after 60 min/.test(e.message));
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    assert.equal(n, 3);
  });

  it('retries a dropped connection on reads', async () => {
    let n = 0;
    server.handle((_req, res) => (++n === 1 ? res.socket?.destroy() : json(res, 200, { convertPushedImages: false })));
    await conn().streaming.getRepositoryState('a');
    assert.equal(n, 2);
  });

  it('retries a timed-out read, then gives up with TIMEOUT', async () => {
    server.handle(() => undefined); // never answers
    await assert.rejects(conn().streaming.getRepositoryState('a'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'TIMEOUT');
    assert.equal(server.seen.length, 4, 'one attempt and three retries');
  });

  it('never repeats a conversion POST on its own', async () => {
    server.handle((_req, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] }));
    await assert.rejects(conn().streaming.startConversion('a', DIGEST), (e: unknown) => e instanceof AcrStreamingError && e.code === 'SERVER_ERROR' && e.status === 503);
    assert.equal(server.seen.length, 1);
  });

  it('stops at once when the caller aborts', async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = conn().streaming.getRepositoryState('a', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
    assert.equal(server.seen.length, 1);
  });

  it('rejects replies of the wrong shape with INVALID_RESPONSE', async () => {
    server.handle((_req, res) => json(res, 200, { convertPushedImages: 'yes' }));
    await assert.rejects(conn().streaming.getRepositoryState('a'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_RESPONSE');
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    await assert.rejects(conn().streaming.getRepositoryState('a'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_RESPONSE');
  });

  it('refuses a manifest whose bytes do not match the digest asked for', async () => {
    server.handle((_req, res) => json(res, 200, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }));
    await assert.rejects(conn().registry.getManifest('a', DIGEST), /does not match its digest/);
  });

  it('validates input before sending anything', async () => {
    await assert.rejects(conn().streaming.getRepositoryState('Bad Name'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_INPUT');
    await assert.rejects(conn().streaming.getOperation('a', '../../x'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_INPUT');
    assert.equal(server.seen.length, 0);
  });

  it('follows Link paging only within the same listing', async () => {
    server.handle((req, res) => {
      if (req.path.includes('last=t2')) {
        return json(res, 200, { tags: [{ name: 't3', digest: DIGEST }] });
      }
      return json(res, 200, { tags: [{ name: 't1', digest: DIGEST }, { name: 't2', digest: DIGEST }] }, { link: '</acr/v1/a/_tags?last=t2&n=2&orderby=timedesc>; rel="next"' });
    });
    const first = await conn().registry.listTags('a', { pageSize: 2 });
    assert.deepEqual(first.items.map((t) => t.name), ['t1', 't2']);
    assert.equal(first.continuation, '/acr/v1/a/_tags?last=t2&n=2&orderby=timedesc');
    const second = await conn().registry.listTags('a', { continuation: first.continuation });
    assert.deepEqual(second.items.map((t) => t.name), ['t3']);
    assert.equal(second.continuation, undefined);
    await assert.rejects(conn().registry.listTags('a', { continuation: '/acr/v1/other/_tags?last=x' }), /paging token/);
  });
});
