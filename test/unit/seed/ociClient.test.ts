import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { OciClient, OciRequestError } from '../../../emulator/oci/ociClient';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** Replaces global fetch with a scripted one for the duration of a test. */
function stubFetch(handler: (request: Seen) => Reply): { seen: Seen[]; restore: () => void } {
  const original = globalThis.fetch;
  const seen: Seen[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const request: Seen = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body: init?.body ? Buffer.from(init.body as Uint8Array) : undefined,
    };
    seen.push(request);
    const reply = handler(request);
    return new Response(reply.status === 204 || request.method === 'HEAD' ? null : (reply.body ?? ''), { status: reply.status, headers: reply.headers });
  }) as typeof fetch;
  return { seen, restore: () => (globalThis.fetch = original) };
}

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

describe('OciClient', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('uploads a missing blob with POST then PUT ?digest=, keeping the upload state and the credentials', async () => {
    const data = Buffer.from('layer bytes');
    const digest = sha256(data);
    const stub = stubFetch((request): Reply => {
      if (request.method === 'HEAD') return { status: 404 };
      if (request.method === 'POST') return { status: 202, headers: { Location: '/v2/samples/x/blobs/uploads/abc?_state=s1' } };
      return { status: 201, headers: { 'Docker-Content-Digest': digest } };
    });
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999/', authorization: 'Basic dTpw' });
    assert.deepEqual(await client.uploadBlob('samples/x', data), { digest, size: data.length });
    assert.deepEqual(stub.seen.map((r) => r.method), ['HEAD', 'POST', 'PUT']);
    assert.equal(stub.seen[0].url, `http://127.0.0.1:5999/v2/samples/x/blobs/${digest}`);
    const put = new URL(stub.seen[2].url);
    assert.equal(put.pathname, '/v2/samples/x/blobs/uploads/abc');
    assert.equal(put.searchParams.get('_state'), 's1');
    assert.equal(put.searchParams.get('digest'), digest);
    assert.ok(stub.seen[2].body?.equals(data));
    assert.ok(stub.seen.every((r) => r.headers.authorization === 'Basic dTpw'));
  });

  it('skips the upload when the blob exists', async () => {
    const stub = stubFetch(() => ({ status: 200 }));
    restore = stub.restore;
    await new OciClient({ baseUrl: 'http://127.0.0.1:5999' }).uploadBlob('samples/x', Buffer.from('x'));
    assert.deepEqual(stub.seen.map((r) => r.method), ['HEAD']);
  });

  it('does not send credentials to an upload location on another origin', async () => {
    const stub = stubFetch((request): Reply => {
      if (request.method === 'HEAD') return { status: 404 };
      if (request.method === 'POST') return { status: 202, headers: { Location: 'http://127.0.0.2:7000/upload/1' } };
      return { status: 201 };
    });
    restore = stub.restore;
    await new OciClient({ baseUrl: 'http://127.0.0.1:5999', authorization: 'Basic dTpw' }).uploadBlob('samples/x', Buffer.from('x'));
    assert.equal(stub.seen[2].url.startsWith('http://127.0.0.2:7000/upload/1?digest=sha256%3A'), true);
    assert.equal(stub.seen[2].headers.authorization, undefined);
  });

  it('pushes manifest bytes as given and returns their digest', async () => {
    const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
    const stub = stubFetch(() => ({ status: 201, headers: { 'Docker-Content-Digest': sha256(manifest) } }));
    restore = stub.restore;
    const pushed = await new OciClient({ baseUrl: 'http://127.0.0.1:5999' }).putManifest('samples/x', '1.0', manifest, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(pushed, { digest: sha256(manifest), size: Buffer.byteLength(manifest) });
    assert.equal(stub.seen[0].headers['content-type'], 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(stub.seen[0].body?.toString(), manifest);
  });

  it('refuses a push by digest whose bytes hash differently, before sending', async () => {
    const stub = stubFetch(() => ({ status: 201 }));
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999' });
    await assert.rejects(client.putManifest('samples/x', `sha256:${'0'.repeat(64)}`, { a: 1 }, 'application/json'), /hashes to/);
    assert.equal(stub.seen.length, 0);
  });

  it('throws an error naming method, path, status and the registry code', async () => {
    const stub = stubFetch(() => ({
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: '{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid","detail":{}}]}',
    }));
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999', authorization: 'Basic c2VjcmV0' });
    const error = await client.putManifest('samples/x', '1.0', {}, 'application/json').catch((e: unknown) => e);
    assert.ok(error instanceof OciRequestError);
    assert.equal(error.method, 'PUT');
    assert.equal(error.path, '/v2/samples/x/manifests/1.0');
    assert.equal(error.status, 400);
    assert.equal(error.registryCode, 'MANIFEST_INVALID');
    assert.match(error.message, /^PUT \/v2\/samples\/x\/manifests\/1\.0 failed: HTTP 400 MANIFEST_INVALID: manifest invalid$/);
    assert.doesNotMatch(error.message, /c2VjcmV0/);
  });

  it('reads a manifest with its media type and verifies the digest of a by-digest read', async () => {
    const body = '{"schemaVersion":2}';
    let served = body;
    const stub = stubFetch(() => ({ status: 200, headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json; charset=utf-8' }, body: served }));
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999' });
    const got = await client.getManifest('samples/x', sha256(body));
    assert.equal(got.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(got.digest, sha256(body));
    assert.match(stub.seen[0].headers.accept, /application\/vnd\.oci\.image\.manifest\.v1\+json/);
    served = '{"schemaVersion":3}';
    await assert.rejects(client.getManifest('samples/x', sha256(body)), (e: unknown) => e instanceof OciRequestError && e.registryCode === 'DIGEST_INVALID');
  });

  it('verifies blob content against its digest', async () => {
    const stub = stubFetch(() => ({ status: 200, body: 'tampered' }));
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999' });
    assert.ok((await client.getBlob('samples/x', sha256('tampered'))).equals(Buffer.from('tampered')));
    await assert.rejects(client.getBlob('samples/x', sha256('original')), /DIGEST_INVALID/);
  });

  it('validates names before sending anything', async () => {
    const stub = stubFetch(() => ({ status: 200 }));
    restore = stub.restore;
    const client = new OciClient({ baseUrl: 'http://127.0.0.1:5999' });
    await assert.rejects(client.blobExists('Samples/X', sha256('x')), /Invalid repository/);
    await assert.rejects(client.blobExists('samples/x', 'sha256:abc'), /Invalid digest/);
    await assert.rejects(client.getManifest('samples/x', '../x'), /Invalid tag or digest/);
    assert.equal(stub.seen.length, 0);
    assert.throws(() => new OciClient({ baseUrl: 'ftp://127.0.0.1' }), /http/);
  });
});
