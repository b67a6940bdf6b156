/**
 * Broken paging of a registry over HTTP: tags through our own requests, repositories through
 * the `@azure/container-registry` SDK's own paging, and the every-tag scan over both.
 */
import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import { AcrStreamingError } from '../../../src/core/errors';
import { listAllTags } from '../../../src/core/listAllTags';
import { isPagingError } from '../../../src/core/paging';
import { parseRegistry } from '../../../src/core/reference';
import { json, startScriptedServer, type ScriptedServer } from './support/scriptedServer';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const fast = { maxRetries: 1, retryDelayMs: 5, timeoutMs: 2000 };
const tags = (...names: string[]) => ({ tags: names.map((name) => ({ name, digest: DIGEST })) });
const next = (target: string) => ({ link: `<${target}>; rel="next"` });

describe('registry paging', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  const conn = () => connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast);
  const host = () => new URL(server.baseUrl).host;
  const repeated = (what: string) => (e: unknown) =>
    isPagingError(e) && e.code === 'INVALID_RESPONSE' && e.fault === 'repeated-page' && e.message.startsWith(`${host()} repeated a page while listing ${what}`);
  const foreign = (what: string) => (e: unknown) => isPagingError(e) && e.fault === 'foreign-link' && e.message.startsWith(`${host()} sent a paging link that leaves ${what}`);

  describe('tags', () => {
    it('refuses a next link to the page just read', async () => {
      server.handle((req, res) => json(res, 200, tags('t1'), next(req.path)));
      await assert.rejects(conn().registry.listTags('samples/hello', { pageSize: 1 }), repeated('the tags of samples/hello'));
      const again = '/acr/v1/samples/hello/_tags?last=t1&n=1&orderby=timedesc';
      // Same page, parameters in another order.
      server.handle((_req, res) => json(res, 200, tags('t2'), next('/acr/v1/samples/hello/_tags?orderby=timedesc&n=1&last=t1')));
      await assert.rejects(conn().registry.listTags('samples/hello', { continuation: again }), repeated('the tags of samples/hello'));
    });

    it('ends the every-tag scan on a cycle A→B→A with an error, not a loop', async () => {
      server.handle((req, res) => {
        if (req.path.includes('last=t2')) {
          return json(res, 200, tags('t3', 't4'), next('/acr/v1/samples/hello/_tags?n=2&orderby=timedesc'));
        }
        return json(res, 200, tags('t1', 't2'), next('/acr/v1/samples/hello/_tags?last=t2&n=2&orderby=timedesc'));
      });
      await assert.rejects(listAllTags(conn().registry, 'samples/hello', { pageSize: 2 }), repeated('the tags of samples/hello'));
      assert.ok(server.seen.length <= 4, `${server.seen.length} requests`);
    });

    it('refuses a link to another origin or another repository\'s tags, before following it', async () => {
      server.handle((_req, res) => json(res, 200, tags('t1'), next('https://elsewhere.example/acr/v1/samples/hello/_tags?last=t1&n=1')));
      await assert.rejects(conn().registry.listTags('samples/hello', { pageSize: 1 }), foreign('the tags of samples/hello'));
      server.handle((_req, res) => json(res, 200, tags('t1'), next('/acr/v1/other/_tags?last=t1&n=1')));
      await assert.rejects(listAllTags(conn().registry, 'samples/hello', { pageSize: 1 }), foreign('the tags of samples/hello'));
      assert.ok(server.seen.every((r) => r.path.startsWith('/acr/v1/samples/hello/_tags?')));
    });

    it('lists overlapping pages with each tag once', async () => {
      server.handle((req, res) =>
        req.path.includes('last=t2') ? json(res, 200, tags('t2', 't3')) : json(res, 200, tags('t1', 't2', 't1'), next('/acr/v1/samples/hello/_tags?last=t2&n=2&orderby=timedesc')),
      );
      const all = await listAllTags(conn().registry, 'samples/hello', { pageSize: 2 });
      assert.deepEqual(all.map((t) => t.name), ['t1', 't2', 't3']);
    });

    it('the scan stops between pages when cancelled', async () => {
      const controller = new AbortController();
      let n = 0;
      server.handle((_req, res) => json(res, 200, tags(`t${++n}`), next(`/acr/v1/samples/hello/_tags?last=t${n}&n=1`)));
      const scan = listAllTags(conn().registry, 'samples/hello', { pageSize: 1, signal: controller.signal, onProgress: (count) => count === 3 && controller.abort() });
      await assert.rejects(scan, (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
      assert.equal(server.seen.length, 3);
    });

    it('bounds an endless listing of ever new pages', async () => {
      let n = 0;
      server.handle((_req, res) => json(res, 200, tags(`t${++n}`), next(`/acr/v1/samples/hello/_tags?last=t${n}&n=1`)));
      await assert.rejects(listAllTags(conn().registry, 'samples/hello', { pageSize: 1, maxPages: 20 }), (e: unknown) => isPagingError(e) && e.fault === 'too-many-pages');
      assert.equal(server.seen.length, 20);
    });
  });

  describe('repositories (the SDK\'s paging)', () => {
    const catalog = (...names: string[]) => ({ repositories: names });

    it('pages through the catalog with checked continuations', async () => {
      server.handle((req, res) =>
        req.path.includes('last=b') ? json(res, 200, catalog('c')) : json(res, 200, catalog('a', 'b'), next(`${server.baseUrl}/acr/v1/_catalog?last=b&n=2`)),
      );
      const first = await conn().registry.listRepositories({ pageSize: 2 });
      assert.deepEqual(first.items, ['a', 'b']);
      assert.equal(first.continuation, '/acr/v1/_catalog?last=b&n=2');
      const second = await conn().registry.listRepositories({ continuation: first.continuation });
      assert.deepEqual(second, { items: ['c'], continuation: undefined });
    });

    it('refuses a next link to the page just read', async () => {
      server.handle((req, res) => json(res, 200, catalog('a'), next(req.path)));
      await assert.rejects(conn().registry.listRepositories({ continuation: '/acr/v1/_catalog?last=a&n=1' }), repeated('the repositories'));
      await assert.rejects(conn().registry.listRepositories({ pageSize: 1 }), repeated('the repositories'));
    });

    it('refuses a link to another origin or path, and a continuation that is not the catalog', async () => {
      server.handle((_req, res) => json(res, 200, catalog('a'), next('https://elsewhere.example/acr/v1/_catalog?last=a&n=1')));
      await assert.rejects(conn().registry.listRepositories({ pageSize: 1 }), foreign('the repositories'));
      server.handle((_req, res) => json(res, 200, catalog('a'), next('/acr/v1/a/_tags?last=a&n=1')));
      await assert.rejects(conn().registry.listRepositories({ pageSize: 1 }), foreign('the repositories'));
      const before = server.seen.length;
      await assert.rejects(conn().registry.listRepositories({ continuation: 'https://elsewhere.example/acr/v1/_catalog?last=a' }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_INPUT');
      assert.equal(server.seen.length, before, 'nothing sent for a foreign continuation');
    });

    it('bounds the SDK\'s own following of pages without a repository list', async () => {
      server.handle((_req, res) => json(res, 200, {}, next(`/acr/v1/_catalog?last=x${server.seen.length}&n=1`)));
      await assert.rejects(conn().registry.listRepositories({ pageSize: 1 }), (e: unknown) => isPagingError(e) && e.fault === 'too-many-pages');
      assert.ok(server.seen.length <= 11, `${server.seen.length} requests`);
    });
  });
});
