import * as assert from 'node:assert/strict';
import { FaultInjector } from '../../../emulator/faults/faultInjector';
import { parseFaultRules } from '../../../emulator/faults/faultRule';
import { RateLimiter, retryAfterSeconds } from '../../../emulator/faults/rateLimiter';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill interval', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerMinute: 60, burst: 3 }, () => now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [undefined, undefined, undefined]);
    assert.equal(limiter.take('a'), 1000);
    now = 400;
    assert.equal(limiter.take('a'), 600);
    now = 1000;
    assert.equal(limiter.take('a'), undefined);
    assert.equal(limiter.take('a'), 1000);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ ratePerMinute: 60, burst: 1 }, () => 0);
    assert.equal(limiter.take('one.azurecr.io'), undefined);
    assert.equal(limiter.take('two.azurecr.io'), undefined);
    assert.equal(limiter.take('one.azurecr.io'), 1000);
  });

  it('refills no higher than the burst after a quiet spell', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerMinute: 6_000, burst: 2 }, () => now);
    limiter.take('a');
    limiter.take('a');
    now = 60_000;
    assert.equal(limiter.take('a'), undefined);
    assert.equal(limiter.take('a'), undefined);
    assert.ok(limiter.take('a') !== undefined);
  });

  it('defaults the burst to one second of the rate', () => {
    const limiter = new RateLimiter({ ratePerMinute: 1_000 }, () => 0);
    const passed = Array.from({ length: 40 }, () => limiter.take('a')).filter((wait) => wait === undefined).length;
    assert.equal(passed, 17);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(1001), 2);
    assert.equal(retryAfterSeconds(Number.POSITIVE_INFINITY), 86_400);
  });
});

describe('FaultInjector rate-limit rules', () => {
  it('answers 429 with Retry-After once the bucket of a login server is empty', () => {
    let now = 0;
    const faults = new FaultInjector(() => now);
    faults.set(parseFaultRules([{ kind: 'rate-limit', ratePerMinute: 120, burst: 2 }]));
    assert.equal(faults.decide('GET', '/v2/', 'reg.azurecr.io').outcome, undefined);
    assert.equal(faults.decide('GET', '/v2/', 'reg.azurecr.io').outcome, undefined);
    assert.deepEqual(faults.decide('GET', '/v2/', 'reg.azurecr.io').outcome, { kind: 'status', status: 429, retryAfterSeconds: 1, afterHandling: false });
    assert.equal(faults.decide('GET', '/v2/', 'other.azurecr.io').outcome, undefined, 'another registry has its own bucket');
    now = 500;
    assert.equal(faults.decide('GET', '/v2/', 'REG.azurecr.io').outcome, undefined, 'half a second refills one token at 120/min');
  });

  it('meters only matching requests and counts refusals against `times`', () => {
    const faults = new FaultInjector(() => 0);
    faults.set(parseFaultRules([{ kind: 'rate-limit', match: '^(GET|HEAD) ', ratePerMinute: 60, burst: 1, times: 1 }]));
    assert.equal(faults.decide('PUT', '/v2/a/manifests/1', 'r').outcome, undefined);
    assert.equal(faults.decide('GET', '/v2/a/manifests/1', 'r').outcome, undefined);
    assert.equal(faults.decide('GET', '/v2/a/manifests/1', 'r').outcome?.kind, 'status');
    assert.equal(faults.decide('GET', '/v2/a/manifests/1', 'r').outcome, undefined, 'times: 1 refusal, then it stops');
    assert.equal(faults.list()[0].remaining, 0);
  });

  it('takes no token for a request a status rule before it already refused', () => {
    const faults = new FaultInjector(() => 0);
    faults.set(parseFaultRules([{ kind: 'status', status: 503, times: 1 }, { kind: 'rate-limit', ratePerMinute: 60, burst: 1 }]));
    assert.equal(faults.decide('GET', '/v2/', 'r').outcome?.kind, 'status');
    assert.equal(faults.decide('GET', '/v2/', 'r').outcome, undefined, 'the bucket still had its token');
  });

  it('starts with full buckets at each set', () => {
    const faults = new FaultInjector(() => 0);
    const rules = parseFaultRules([{ kind: 'rate-limit', ratePerMinute: 60, burst: 1 }]);
    faults.set(rules);
    faults.decide('GET', '/v2/', 'r');
    assert.ok(faults.decide('GET', '/v2/', 'r').outcome);
    faults.set(rules);
    assert.equal(faults.decide('GET', '/v2/', 'r').outcome, undefined);
  });

  it('refuses a rate-limit rule without a rate', () => {
    assert.throws(() => parseFaultRules([{ kind: 'rate-limit' }]), /needs "ratePerMinute"/);
    assert.throws(() => parseFaultRules([{ kind: 'rate-limit', ratePerMinute: 0 }]), /ratePerMinute/);
  });
});
