import * as assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { AcrStreamingError, isNetworkError, toAcrStreamingError } from '../../../src/core/errors';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toAcrStreamingError', () => {
  it('keeps an AcrStreamingError as it is', () => {
    const original = new AcrStreamingError('DENIED', 'no');
    assert.equal(toAcrStreamingError(original), original);
  });

  it('maps aborts to CANCELLED', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(toAcrStreamingError(abort).code, 'CANCELLED');
  });

  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']) {
    it(`maps the socket error ${code} to NETWORK`, () => {
      const error = toAcrStreamingError(withCode(`connect ${code} 127.0.0.1:1`, code));
      assert.equal(error.code, 'NETWORK');
      assert.match(error.message, /^Could not reach the registry: connect /);
      assert.match(error.hint ?? '', /network connection/);
    });
  }

  it('maps core-rest-pipeline\'s REQUEST_SEND_ERROR to NETWORK', () => {
    const error = new RestError('socket hang up', { code: RestError.REQUEST_SEND_ERROR });
    assert.equal(toAcrStreamingError(error).code, 'NETWORK');
  });

  it('maps fetch\'s "fetch failed" and a wrapped socket error to NETWORK', () => {
    assert.equal(toAcrStreamingError(new TypeError('fetch failed')).code, 'NETWORK');
    const wrapped = new Error('request failed', { cause: withCode('getaddrinfo ENOTFOUND x', 'ENOTFOUND') });
    assert.equal(toAcrStreamingError(wrapped).code, 'NETWORK');
  });

  it('maps programming errors to INTERNAL, not NETWORK', () => {
    const error = toAcrStreamingError(new TypeError("Cannot read properties of undefined (reading 'digest')"));
    assert.equal(error.code, 'INTERNAL');
    assert.equal(error.message, "Something went wrong: Cannot read properties of undefined (reading 'digest')");
    assert.match(error.hint ?? '', /report it.*log/);
    assert.ok(error.cause instanceof TypeError, 'the original is kept');
  });

  it('maps other errors and thrown non-errors to INTERNAL', () => {
    assert.equal(toAcrStreamingError(new Error('boom')).code, 'INTERNAL');
    assert.equal(toAcrStreamingError(withCode('no such file', 'ENOENT')).code, 'INTERNAL');
    assert.equal(toAcrStreamingError(new RestError('bad', { code: 'PARSE_ERROR' })).code, 'INTERNAL');
    const fromString = toAcrStreamingError('just text');
    assert.equal(fromString.code, 'INTERNAL');
    assert.equal(fromString.message, 'Something went wrong: just text');
  });

  it('isNetworkError is false for values that are not errors', () => {
    assert.equal(isNetworkError({ code: 'ECONNRESET' }), false);
    assert.equal(isNetworkError(undefined), false);
  });
});
