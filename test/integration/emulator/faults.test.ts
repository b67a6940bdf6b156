/** Fault injection: statuses with Retry-After, drops, replies lost after handling, latency, token expiry. */
import assert from 'node:assert/strict';
import { call, getOperation, startConversion, type LooseJson } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage, type Pushed } from './support/registryPush';

function jwtPayload(token: string): Record<string, LooseJson> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('emulator: fault injection', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let image: Pushed;

  before(async () => {
    emu = await startTestEmulator({ conversionBytesPerSecond: 0 });
    image = await pushImage(emu, 'faults/app', 'v1', { layerSizes: [300_000] });
  });
  after(async () => {
    await emu?.stop();
  });
  afterEach(() => {
    emu.clearFaults();
    emu.setConversionSpeed(0);
  });

  it('answers 429 with Retry-After, set over HTTP, for as many requests as asked', async () => {
    const set = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ match: '^GET /acr/v1/.*/_tags', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 }] }),
    });
    assert.equal(set.status, 200);
    const limited = await call(emu, 'GET', '/acr/v1/faults/app/_tags');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal(limited.body.errors[0].code, 'TOOMANYREQUESTS');
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_tags')).status, 200);
    const listed = (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as { rules: Array<{ remaining: number }> };
    assert.equal(listed.rules[0].remaining, 0);
    assert.equal((await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' })).status, 204);
    const invalid = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'status' }]) });
    assert.equal(invalid.status, 400);
  });

  it('answers 503 to matching requests only', async () => {
    emu.setFaults([{ match: '^GET /acr/v1/faults/app/_streaming$', kind: 'status', status: 503, times: 2 }]);
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_streaming')).status, 503);
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_tags')).status, 200);
    const second = await call(emu, 'GET', '/acr/v1/faults/app/_streaming');
    assert.equal(second.status, 503);
    assert.equal(second.body.errors[0].code, 'UNAVAILABLE');
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_streaming')).status, 200);
  });

  it('drops the connection', async () => {
    emu.setFaults([{ match: '_tags', kind: 'drop', times: 1 }]);
    await assert.rejects(call(emu, 'GET', '/acr/v1/faults/app/_tags'), /fetch failed/);
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_tags')).status, 200);
  });

  it('handles a conversion POST whose reply is lost, so a retry finds the same operation', async () => {
    emu.setConversionSpeed(50_000);
    emu.setFaults([{ match: 'POST /acr/v1/.*/_streaming/sha256', kind: 'drop', afterHandling: true, times: 1 }]);
    await assert.rejects(startConversion(emu, 'faults/app', image.digest), /fetch failed/);
    // The request took effect: the operation exists…
    const last = await call(emu, 'GET', `/acr/v1/faults/app/_streaming/${image.digest}`);
    assert.equal(last.status, 200);
    assert.ok(['NotStarted', 'Running'].includes(last.body.status));
    // …and the retried POST gets it back instead of a second conversion.
    assert.equal(await startConversion(emu, 'faults/app', image.digest), last.body.id);
    assert.equal((await call(emu, 'POST', `/acr/v1/faults/app/_operations/${last.body.id}:cancel`)).status, 200);
  });

  it('loses the reply of a proxied manifest push that was stored all the same', async () => {
    emu.setFaults([{ match: '^PUT /v2/faults/app/manifests/lost$', kind: 'drop', afterHandling: true }]);
    await assert.rejects(pushImage(emu, 'faults/app', 'lost', { layerSizes: [100] }), /fetch failed/);
    emu.clearFaults();
    const head = await call(emu, 'HEAD', '/v2/faults/app/manifests/lost', undefined, { Accept: 'application/vnd.oci.image.manifest.v1+json' });
    assert.equal(head.status, 200);
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_tags/lost')).status, 200);
  });

  it('replaces a reply with an error after handling the request', async () => {
    emu.setFaults([{ match: 'POST /acr/v1/faults/app/_streaming$', kind: 'status', status: 500, afterHandling: true, times: 1 }]);
    const reply = await call(emu, 'POST', '/acr/v1/faults/app/_streaming', { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    assert.equal(reply.status, 500);
    assert.equal(reply.headers.get('operation-id'), null, 'nothing of the real reply leaks');
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_streaming')).body.convertPushedImages, true);
    await call(emu, 'POST', '/acr/v1/faults/app/_streaming', { convertPushedImages: false });
  });

  it('adds latency', async () => {
    emu.setFaults([{ match: '_tags', kind: 'latency', latencyMs: 400 }]);
    let started = performance.now();
    assert.equal((await call(emu, 'GET', '/acr/v1/faults/app/_tags')).status, 200);
    assert.ok(performance.now() - started >= 390);
    started = performance.now();
    await call(emu, 'GET', '/acr/v1/faults/app');
    assert.ok(performance.now() - started < 390);
  });

  it('fires probabilistic rules repeatably', async () => {
    const run = async () => {
      emu.setFaults([{ match: '_tags', kind: 'status', status: 502, probability: 0.5 }]);
      const statuses = [];
      for (let i = 0; i < 16; i++) {
        statuses.push((await call(emu, 'GET', '/acr/v1/faults/app/_tags')).status);
      }
      return statuses;
    };
    const first = await run();
    assert.ok(first.includes(502) && first.includes(200), first.join(','));
    assert.deepEqual(await run(), first);
  });

  it('shortens the lifetime of new access tokens, then the expired token is refused', async () => {
    emu.setFaults([{ kind: 'token-expiry', tokenLifetimeSeconds: 1, times: 1 }]);
    const tokenUrl = `${emu.url}/oauth2/token?service=${emu.loginServer}&scope=repository:faults/app:pull`;
    const auth = { Authorization: `Basic ${Buffer.from(`${emu.username}:${emu.password}`).toString('base64')}` };
    const short = ((await (await fetch(tokenUrl, { headers: auth })).json()) as { access_token: string }).access_token;
    const claims = jwtPayload(short);
    assert.equal(claims.exp - claims.iat, 1);
    const bearer = { Authorization: `Bearer ${short}` };
    assert.equal((await fetch(`${emu.url}/acr/v1/faults/app/_streaming`, { headers: bearer })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(`${emu.url}/acr/v1/faults/app/_streaming`, { headers: bearer });
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /scope="repository:faults\/app:pull",error="invalid_token"/);
    const normal = ((await (await fetch(tokenUrl, { headers: auth })).json()) as { access_token: string }).access_token;
    assert.equal(jwtPayload(normal).exp - jwtPayload(normal).iat, 3600);
  });

  it('changes the conversion speed over HTTP', async () => {
    const set = await fetch(`${emu.url}/_emulator/speed`, { method: 'POST', body: JSON.stringify({ bytesPerSecond: 30_000 }) });
    assert.equal(set.status, 200);
    const other = await pushImage(emu, 'faults/app', 'speed', { layerSizes: [200_000] });
    const id = await startConversion(emu, 'faults/app', other.digest);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const slow = await getOperation(emu, 'faults/app', id);
    assert.equal(slow.status, 'Running');
    assert.ok(Number.parseInt(slow.progress, 10) < 50, `at 30 kB/s a 200 kB layer is not half done after 1 s: ${slow.progress}`);
    await fetch(`${emu.url}/_emulator/speed`, { method: 'POST', body: JSON.stringify({ bytesPerSecond: 0 }) });
    const deadline = Date.now() + 10_000;
    let status = slow.status;
    while (status !== 'Succeeded' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await getOperation(emu, 'faults/app', id)).status;
    }
    assert.equal(status, 'Succeeded');
  });
});
