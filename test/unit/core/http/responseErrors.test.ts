import * as assert from 'node:assert/strict';
import { AcrStreamingError, toAcrStreamingError } from '../../../../src/core/errors';
import { errorFromReply } from '../../../../src/core/http/responseErrors';

describe('errors built from server replies carry no secrets', () => {
  it('removes a SAS signature and a token the registry put in its error message', () => {
    const body = JSON.stringify({
      errors: [{ code: 'BLOB_UNKNOWN', message: 'see https://st.blob.core.windows.net/c/b?sp=r&sig=S3cretSig%3D for token eyJhbGciOiJub25lIn0.eyJleHAiOjF9.c2ln' }],
    });
    const error = errorFromReply({ status: 404, bodyText: body }, 'Reading a blob', 'reg.azurecr.io');
    assert.match(error.message, /BLOB_UNKNOWN/);
    assert.match(error.message, /st\.blob\.core\.windows\.net\/c\/b\?sp=r/, 'the rest of the message stays readable');
    assert.doesNotMatch(error.message, /S3cretSig|eyJleHAiOjF9/);
  });

  it('removes secrets from any error, including those wrapped from other libraries', () => {
    const wrapped = toAcrStreamingError(new Error('connect failed for https://admin:hunter2@reg.example.com'));
    assert.doesNotMatch(wrapped.message, /hunter2/);
    const direct = new AcrStreamingError('UNAUTHORIZED', 'refused', { hint: 'password: hunter2' });
    assert.doesNotMatch(direct.describe(), /hunter2/);
  });
});
