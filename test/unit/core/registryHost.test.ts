import * as assert from 'node:assert/strict';
import { InvalidInputError } from '../../../src/core/errors';
import { assertAllowedRegistryTransport, isAllowedRegistryTransport, isForbiddenRegistryHost } from '../../../src/core/registryHost';

describe('registry hosts', () => {
  it('allows https anywhere and http only on loopback unless the user opted in', () => {
    assert.equal(isAllowedRegistryTransport('https://reg.example.io', false), true);
    for (const local of ['http://127.0.0.1:5000', 'http://localhost:5000', 'http://[::1]:5000']) {
      assert.equal(isAllowedRegistryTransport(local, false), true, local);
    }
    assert.equal(isAllowedRegistryTransport('http://reg.example.io', false), false);
    assert.equal(isAllowedRegistryTransport('http://10.0.0.5:5000', false), false);
    assert.equal(isAllowedRegistryTransport('http://10.0.0.5:5000', true), true);
  });

  it('says how to opt in when it refuses plain http', () => {
    assert.throws(
      () => assertAllowedRegistryTransport('http://reg.example.io:5000', false, 'the opt-in setting'),
      (e: unknown) => e instanceof InvalidInputError && /reg\.example\.io:5000/.test(e.message) && /the opt-in setting/.test(e.describe()),
    );
  });

  it('recognises URL hostnames of link-local and metadata addresses only', () => {
    for (const host of ['169.254.169.254', '169.254.0.1', '[fd00:ec2::254]', '[fe80::1]', '[::ffff:a9fe:a9fe]']) {
      assert.equal(isForbiddenRegistryHost(host), true, host);
    }
    for (const host of ['myreg.azurecr.io', '169.254.example.com', '10.0.0.1', '[::1]', '[fd00::254]', '[::ffff:a00:1]']) {
      assert.equal(isForbiddenRegistryHost(host), false, host);
    }
  });
});
