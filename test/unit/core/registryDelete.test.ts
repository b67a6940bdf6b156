import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import { AcrStreamingError, InvalidInputError } from '../../../src/core/errors';
import { parseRegistry } from '../../../src/core/reference';
import { json, startScriptedServer, type ScriptedServer } from './support/scriptedServer';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const fast = { maxRetries: 3, retryDelayMs: 5, timeoutMs: 2000 };

describe('registry deletion', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  const registry = () => connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).registry;

  it('deletes a tag through ACR\'s tag API', async () => {
    server.handle((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    await registry().deleteTag('samples/hello', '1.0');
    assert.deepEqual(server.seen.map((r) => `${r.method} ${r.path}`), ['DELETE /acr/v1/samples/hello/_tags/1.0']);
  });

  it('deletes a manifest by digest through the distribution API', async () => {
    server.handle((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    await registry().deleteManifest('samples/hello', DIGEST);
    assert.deepEqual(server.seen.map((r) => `${r.method} ${r.path}`), [`DELETE /v2/samples/hello/manifests/${DIGEST}`]);
  });

  it('reports a 404 on the first attempt: the name was wrong', async () => {
    server.handle((_req, res) => json(res, 404, { errors: [{ code: 'TAG_UNKNOWN', message: 'the specified tag does not exist' }] }));
    await assert.rejects(registry().deleteTag('samples/hello', 'nope'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'NOT_FOUND' && e.status === 404 && /TAG_UNKNOWN/.test(e.message));
    server.handle((_req, res) => json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    await assert.rejects(registry().deleteManifest('samples/hello', DIGEST), (e: unknown) => e instanceof AcrStreamingError && e.code === 'MANIFEST_UNKNOWN');
  });

  it('treats a 404 after a retried delete as already gone', async () => {
    let n = 0;
    // The first attempt takes effect but its reply is lost; the retry finds nothing left.
    server.handle((_req, res) => (++n === 1 ? res.socket?.destroy() : json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })));
    await registry().deleteManifest('samples/hello', DIGEST);
    assert.equal(server.seen.length, 2);
  });

  it('retries a delete after a 5xx, as DELETE is idempotent', async () => {
    let n = 0;
    server.handle((_req, res) => {
      if (++n < 3) {
        json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] });
        return;
      }
      res.writeHead(202);
      res.end();
    });
    await registry().deleteTag('samples/hello', 'latest');
    assert.equal(n, 3);
  });

  it('validates tag, digest and repository before sending anything', async () => {
    await assert.rejects(registry().deleteTag('samples/hello', '-bad'), (e: unknown) => e instanceof InvalidInputError && e.part === 'tag');
    await assert.rejects(registry().deleteTag('samples/hello', 'a/b'), (e: unknown) => e instanceof InvalidInputError && e.part === 'tag');
    await assert.rejects(registry().deleteManifest('samples/hello', 'sha256:abc'), (e: unknown) => e instanceof InvalidInputError && e.part === 'digest');
    await assert.rejects(registry().deleteManifest('samples/hello', 'latest'), (e: unknown) => e instanceof InvalidInputError && e.part === 'digest');
    await assert.rejects(registry().deleteManifest('Samples/Hello', DIGEST), (e: unknown) => e instanceof InvalidInputError && e.part === 'repository');
    assert.equal(server.seen.length, 0);
  });
});
