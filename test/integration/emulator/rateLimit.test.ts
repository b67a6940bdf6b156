/** The rate-limit fault over HTTP (a bucket per login server, ARM's included) and the request counter. */
import assert from 'node:assert/strict';
import { call } from './support/acrCalls';
import { startTestEmulator } from './support/emulatorFixture';

describe('emulator: rate-limit fault and request counts', function () {
  this.timeout(30_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;

  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu?.stop();
  });
  afterEach(() => emu.clearFaults());

  it('answers 429 with Retry-After once a login server has used its burst, and keeps other login servers apart', async () => {
    emu.setFaults([{ kind: 'rate-limit', match: '^GET /v2/$', ratePerMinute: 6, burst: 2 }]);
    emu.requests.reset();
    assert.equal((await call(emu, 'GET', '/v2/')).status, 200);
    assert.equal((await call(emu, 'GET', '/v2/')).status, 200);
    const limited = await call<{ errors: Array<{ code: string }> }>(emu, 'GET', '/v2/');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '10', 'one token every 10 s at 6 a minute');
    assert.equal(limited.body.errors[0].code, 'TOOMANYREQUESTS');
    const port = new URL(emu.url).port;
    assert.equal((await call({ ...emu, url: `http://localhost:${port}` }, 'GET', '/v2/')).status, 200, 'localhost:PORT has a bucket of its own');
    assert.equal((await call(emu, 'GET', '/acr/v1/_catalog')).status, 200, 'requests the rule does not match are not metered');
    assert.deepEqual(emu.requests.snapshot(), { total: 5, registry: 5, arm: 0, byRoute: { 'GET /v2/': 4, 'GET /acr/v1/_catalog': 1 } });
  });

  it('meters Resource Manager reads too, with its own error body', async () => {
    emu.setFaults([{ kind: 'rate-limit', match: '^GET /subscriptions', ratePerMinute: 60, burst: 1 }]);
    emu.requests.reset();
    const first = await fetch(`${emu.armUrl}/subscriptions?api-version=2022-12-01`);
    assert.equal(first.status, 401, 'the first read passes the limit and meets auth');
    const second = await fetch(`${emu.armUrl}/subscriptions?api-version=2022-12-01`);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '1');
    assert.equal(((await second.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
    assert.equal(emu.requests.snapshot().arm, 2);
  });
});
