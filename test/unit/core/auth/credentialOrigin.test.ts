/**
 * Credentials go to the registry's own origin only: a followed redirect to storage, and each
 * retry of it, carries no token, whatever its path looks like; a 401 from that other origin gets
 * no password. The same for Azure Resource Manager tokens.
 */
import * as assert from 'node:assert/strict';
import { createEmptyPipeline, createHttpHeaders, createPipelineRequest, createDefaultHttpClient, redirectPolicy } from '@azure/core-rest-pipeline';
import { AcrAuthenticator } from '../../../../src/core/auth/acrAuthPolicy';
import { armBearerPolicy } from '../../../../src/core/azure/armBearerPolicy';
import { AcrStreamingError } from '../../../../src/core/errors';
import { HttpTransport, type TransportOptions } from '../../../../src/core/http/transport';
import { redactingLogger, silentLogger, type Logger } from '../../../../src/core/logger';
import { parseRegistry } from '../../../../src/core/reference';
import { fakeJwt, json, startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const BLOB = `/v2/samples/hello/blobs/sha256:${'a'.repeat(64)}`;
const BASIC = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;

/** Built as `connect` builds it: one redacting logger for the requests and the tokens. */
function transportFor(registry: ScriptedServer, sink: Logger = silentLogger): HttpTransport {
  const logger = redactingLogger(sink);
  const options: TransportOptions = { logger, userAgent: 'test', timeoutMs: 2000, maxRetries: 2, retryDelayMs: 5 };
  const endpoint = parseRegistry(registry.baseUrl);
  const auth = new AcrAuthenticator(endpoint, { kind: 'basic', username: 'admin', password: 's3cret' }, HttpTransport.tokenSender(options), logger);
  return new HttpTransport(endpoint, options, auth.policy());
}

/** A registry that wants a bearer token (issued for basic credentials) and redirects blob GETs to `storage`. */
function redirectingRegistry(registry: ScriptedServer, storage: ScriptedServer): string[] {
  const issued: string[] = [];
  registry.handle((req, res) => {
    if (req.path.startsWith('/oauth2/token')) {
      const token = fakeJwt(Math.floor(Date.now() / 1000) + 3600);
      issued.push(token);
      return req.headers.authorization === BASIC ? json(res, 200, { access_token: token }) : json(res, 401, {});
    }
    if (!issued.some((t) => req.headers.authorization === `Bearer ${t}`)) {
      return json(res, 401, {}, { 'www-authenticate': `Bearer realm="${registry.baseUrl}/oauth2/token",service="reg",scope="repository:samples/hello:pull"` });
    }
    res.writeHead(307, { location: `${storage.baseUrl}${BLOB}?se=2030-01-01&sp=r&sig=S3cretSasSignature%3D` });
    res.end();
  });
  return issued;
}

describe('credentials stay on the registry origin', () => {
  let registry: ScriptedServer;
  let storage: ScriptedServer;
  beforeEach(async () => {
    registry = await startScriptedServer();
    storage = await startScriptedServer();
  });
  afterEach(async () => {
    await registry.close();
    await storage.close();
  });

  it('follows a blob redirect to another host without the token, on the first request and on the retry', async () => {
    const issued = redirectingRegistry(registry, storage);
    let calls = 0;
    storage.handle((_req, res) => (++calls === 1 ? json(res, 500, {}) : json(res, 200, { architecture: 'amd64', os: 'linux' })));
    const lines: string[] = [];
    const push = (m: string) => lines.push(m);
    const reply = await transportFor(registry, { trace: push, debug: push, info: push, warn: push, error: push }).send({ method: 'GET', path: BLOB, what: 'Reading a blob' });
    assert.equal(reply.status, 200);
    assert.equal(storage.seen.length, 2, 'the storage 500 was retried');
    assert.ok(storage.seen.every((r) => r.path.startsWith(BLOB)), 'the storage path looks like a registry blob path');
    for (const seen of storage.seen) {
      assert.equal(seen.headers.authorization, undefined, `storage got ${seen.headers.authorization}`);
    }
    // The redirect and its retry were logged, without the SAS signature or the token.
    const logged = lines.join('\n');
    assert.match(logged, /sp=r&sig=<redacted>/);
    assert.doesNotMatch(logged, /S3cretSasSignature/);
    assert.ok(!logged.includes(issued[0].split('.')[1]));
    // The registry itself did get the token: the guard is about the origin, not about tokens at all.
    assert.ok(registry.seen.some((r) => r.path === BLOB && r.headers.authorization === `Bearer ${issued[0]}`));
  });

  it('sends a cached token to the registry but not to the redirect target on a second download', async () => {
    redirectingRegistry(registry, storage);
    storage.handle((_req, res) => json(res, 200, {}));
    const transport = transportFor(registry);
    await transport.send({ method: 'GET', path: BLOB, what: 'Reading a blob' });
    await transport.send({ method: 'GET', path: BLOB, what: 'Reading a blob' });
    assert.equal(storage.seen.length, 2);
    assert.ok(storage.seen.every((r) => r.headers.authorization === undefined));
    assert.equal(registry.seen.filter((r) => r.path.startsWith('/oauth2/token')).length, 1, 'the second download used the cached token');
  });

  it('gives no password to a basic challenge from the other origin', async () => {
    registry.handle((req, res) => {
      if (req.headers.authorization !== BASIC) {
        return json(res, 401, {}, { 'www-authenticate': 'Basic realm="registry"' });
      }
      res.writeHead(307, { location: `${storage.baseUrl}${BLOB}` });
      res.end();
    });
    storage.handle((_req, res) => json(res, 401, {}, { 'www-authenticate': 'Basic realm="storage"' }));
    await assert.rejects(transportFor(registry).send({ method: 'GET', path: BLOB, what: 'Reading a blob' }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED');
    assert.equal(storage.seen.length, 1, 'the 401 from storage was not answered with credentials');
    assert.equal(storage.seen[0].headers.authorization, undefined);
    assert.ok(registry.seen.some((r) => r.headers.authorization === BASIC), 'the registry did get the basic credentials');
  });

  it('asks no token of a bearer challenge from the other origin, even with a realm there', async () => {
    redirectingRegistry(registry, storage);
    storage.handle((_req, res) => json(res, 401, {}, { 'www-authenticate': `Bearer realm="${storage.baseUrl}/oauth2/token",service="storage"` }));
    await assert.rejects(transportFor(registry).send({ method: 'GET', path: BLOB, what: 'Reading a blob' }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED');
    assert.ok(storage.seen.every((r) => r.headers.authorization === undefined && !r.path.startsWith('/oauth2/')));
  });
});

describe('Azure Resource Manager tokens stay on the ARM origin', () => {
  let arm: ScriptedServer;
  let other: ScriptedServer;
  beforeEach(async () => {
    arm = await startScriptedServer();
    other = await startScriptedServer();
  });
  afterEach(async () => {
    await arm.close();
    await other.close();
  });

  it('follows a redirect to another host without the ARM token', async () => {
    arm.handle((_req, res) => {
      res.writeHead(302, { location: `${other.baseUrl}/subscriptions/s/providers/Microsoft.ContainerRegistry/registries` });
      res.end();
    });
    other.handle((_req, res) => json(res, 200, { value: [] }));
    const pipeline = createEmptyPipeline();
    pipeline.addPolicy(redirectPolicy({ allowCrossOriginRedirects: true }));
    const credential = { getToken: async () => ({ token: 'arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    pipeline.addPolicy(armBearerPolicy({ credential, scope: `${arm.baseUrl}/.default`, endpoint: arm.baseUrl }), { phase: 'Sign' });
    const request = createPipelineRequest({ url: `${arm.baseUrl}/subscriptions/s/providers/Microsoft.ContainerRegistry/registries`, headers: createHttpHeaders(), allowInsecureConnection: true });
    const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
    assert.equal(response.status, 200);
    assert.equal(arm.seen[0].headers.authorization, 'Bearer arm-token');
    assert.equal(other.seen.length, 1);
    assert.equal(other.seen[0].headers.authorization, undefined);
  });
});

describe('token requests stay on the registry origin', () => {
  let registry: ScriptedServer;
  let other: ScriptedServer;
  beforeEach(async () => {
    registry = await startScriptedServer();
    other = await startScriptedServer();
  });
  afterEach(async () => {
    await registry.close();
    await other.close();
  });

  it('does not follow a token endpoint that redirects the Entra exchange form to another host', async () => {
    registry.handle((req, res) => {
      if (req.path.startsWith('/oauth2/')) {
        res.writeHead(307, { location: `${other.baseUrl}${req.path}` });
        return res.end();
      }
      return json(res, 401, {}, { 'www-authenticate': `Bearer realm="${registry.baseUrl}/oauth2/token",service="reg"` });
    });
    other.handle((_req, res) => json(res, 200, { refresh_token: 'r', access_token: 'a' }));
    const options: TransportOptions = { logger: silentLogger, userAgent: 'test', timeoutMs: 2000, maxRetries: 0, retryDelayMs: 5 };
    const endpoint = parseRegistry(registry.baseUrl);
    const credential = { getToken: async () => ({ token: 'entra-access-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const auth = new AcrAuthenticator(endpoint, { kind: 'entra', credential }, HttpTransport.tokenSender(options), silentLogger);
    const http = new HttpTransport(endpoint, options, auth.policy());
    await assert.rejects(http.send({ method: 'GET', path: '/acr/v1/samples/hello/_streaming', what: 'Reading' }), AcrStreamingError);
    assert.equal(other.seen.length, 0, `the other host got: ${other.seen.map((r) => r.body).join(', ')}`);
  });
});
