import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/core/logger';

/** Each spelling of a secret the hardening issue listed, and the text around it that must stay. */
const LEAKS: Array<{ spelling: string; text: string; secret: string; kept?: string }> = [
  { spelling: 'SAS signature in a redirect URL', text: 'GET https://st.blob.core.windows.net/c/b?se=2030-01-01&sp=r&sv=2022&sig=Zm9vYmFy%2Bc2ln%3D → 200', secret: 'Zm9vYmFy', kept: 'se=2030-01-01&sp=r' },
  { spelling: 'S3 signed URL', text: 'GET https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F2026&X-Amz-Signature=abcdef0123 → 200', secret: 'AKIAEXAMPLE', kept: 'b.s3.amazonaws.com/k' },
  { spelling: 'S3 signature, any case', text: 'x-amz-signature=deadbeefcafe', secret: 'deadbeefcafe' },
  { spelling: 'OAuth code in a query', text: 'GET https://localhost/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', secret: 'SplxlOBeZQQYbYS6WxSbIA', kept: 'state=xyz' },
  { spelling: 'user:pass@ in a URL', text: 'GET https://admin:hunter2@myreg.azurecr.io/v2/ → 401', secret: 'hunter2', kept: 'myreg.azurecr.io/v2/' },
  { spelling: 'user:pass@ with an @ in the password', text: 'http://admin:p@ss@127.0.0.1:5000', secret: 'p@ss', kept: '127.0.0.1:5000' },
  { spelling: 'token@ in a URL', text: 'cloning https://ghp_tokenvalue@github.com/x/y', secret: 'ghp_tokenvalue', kept: 'github.com/x/y' },
  { spelling: 'Bearer value of letters only', text: 'Authorization: Bearer AbCdEfGhIjKlMnOp', secret: 'AbCdEfGhIjKlMnOp' },
  { spelling: 'Bearer value, long lower-case', text: 'authorization: bearer abcdefghijklmnopqrstuvwxyz', secret: 'abcdefghijklmnopqrstuvwxyz' },
  { spelling: 'Basic value of letters only', text: 'Authorization: Basic YWRtaWRtaW', secret: 'YWRtaWRtaW' },
  { spelling: 'Basic value with padding', text: 'Basic YWRtaW4=', secret: 'YWRtaW4=' },
  { spelling: 'refresh_token in escaped JSON', text: 'body: "{\\"refresh_token\\":\\"r3fr3sh\\",\\"x\\":1}"', secret: 'r3fr3sh', kept: '\\"x\\":1' },
  { spelling: 'access_token in escaped JSON with spaces', text: '{\\"access_token\\": \\"acc3ss\\"}', secret: 'acc3ss' },
  { spelling: 'refresh_token URL-encoded', text: 'body=grant_type%3Drefresh_token%26refresh_token%3Dr3fr3sh%26service%3Dreg', secret: 'r3fr3sh', kept: 'service%3Dreg' },
  { spelling: 'access_token in URL-encoded JSON', text: 'q=%7B%22access_token%22%3A%22acc3ss%22%7D', secret: 'acc3ss' },
  { spelling: 'password: x', text: 'config password: hunter2, user: admin', secret: 'hunter2', kept: 'user: admin' },
  { spelling: "'password': 'x'", text: "{'username': 'admin', 'password': 'hunter2'}", secret: 'hunter2', kept: "'username': 'admin'" },
  { spelling: '"password": "x" with an escaped quote', text: '{"password": "hun\\"ter2"}', secret: 'ter2' },
  { spelling: "password = 'x'", text: "password = 'hunter 2'", secret: 'hunter 2' },
  { spelling: 'Password=x (form field, capitalised)', text: 'Password=hunter2&User=admin', secret: 'hunter2', kept: 'User=admin' },
  { spelling: 'REFRESH_TOKEN=x (upper case)', text: 'REFRESH_TOKEN=r3fr3sh', secret: 'r3fr3sh' },
  { spelling: 'accessToken=x (camel case)', text: 'accessToken=acc3ss&n=1', secret: 'acc3ss', kept: 'n=1' },
  { spelling: 'Client-Secret=x (kebab case)', text: 'Client-Secret=s3cr3t', secret: 's3cr3t' },
  { spelling: 'clientSecret in JSON', text: '{"clientSecret":"s3cr3t"}', secret: 's3cr3t' },
  { spelling: 'a JWT anywhere', text: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl expired', secret: 'eyJzdWIiOiIxMjM0In0' },
];

/** Text that must come out exactly as it went in. */
const PROSE = [
  '--auth basic needs a username; Basic authentication failed',
  'Bearer authentication is required; Basic credentials were refused',
  'The registry is on the Basic tier; artifact streaming needs Premium.',
  'WWW-Authenticate: Basic realm="registry"',
  'Could not get an Azure token: network unreachable',
  'GET http://127.0.0.1:5000/acr/v1/samples/hello/_tags?n=100&orderby=timedesc → 200 (3 ms)',
  'GET https://myreg.azurecr.io/v2/samples/hello/manifests/sha256:abc → 404',
  'samples/hello@sha256:0123abcd is not a streaming artifact',
  'Check the username and password (admin user or repository token).',
  'error code=NAME_UNKNOWN',
  'the password is empty',
];

describe('redactSecrets', () => {
  for (const { spelling, text, secret, kept } of LEAKS) {
    it(`redacts ${spelling}`, () => {
      const redacted = redactSecrets(text);
      assert.ok(!redacted.includes(secret), `${secret} leaked: ${redacted}`);
      assert.match(redacted, /<redacted/);
      if (kept) {
        assert.ok(redacted.includes(kept), `${kept} was lost: ${redacted}`);
      }
    });
  }

  for (const text of PROSE) {
    it(`leaves alone: ${text}`, () => {
      assert.equal(redactSecrets(text), text);
    });
  }

  it('is idempotent: redacting twice changes nothing more', () => {
    for (const { text } of LEAKS) {
      const once = redactSecrets(text);
      assert.equal(redactSecrets(once), once);
    }
  });

  it('handles 100,000 characters of adversarial input quickly', () => {
    const inputs = [
      '"password":"'.repeat(10_000),
      `Basic ${'a'.repeat(100_000)}`,
      `https://${'a:'.repeat(50_000)}`,
      `password=${'\\'.repeat(100_000)}`,
      'a.'.repeat(50_000),
      'a-'.repeat(50_000),
      'eyJa.'.repeat(20_000),
      '%22password%22%3A%22'.repeat(5_000),
    ];
    const started = Date.now();
    for (const input of inputs) {
      redactSecrets(input);
    }
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});
