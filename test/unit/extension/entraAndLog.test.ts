import * as assert from 'node:assert/strict';
import { VsCodeSessionCredential } from '../../../src/services/entraCredential';
import { createLogger, withComponent } from '../../../src/services/logChannel';
import { RecordingLogger } from './fakes';

function jwt(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ exp: expSeconds })}.sig`;
}

describe('Entra credential adapter', () => {
  it('asks VS Code for the scopes (plus the tenant) and returns the session token with its expiry', async () => {
    const asked: string[][] = [];
    const token = jwt(2_000_000_000);
    const credential = new VsCodeSessionCredential(async (scopes) => {
      asked.push(scopes);
      return { accessToken: token };
    }, 'contoso.onmicrosoft.com');
    const result = await credential.getToken('https://containerregistry.azure.net/.default');
    assert.deepEqual(asked, [['https://containerregistry.azure.net/.default', 'VSCODE_TENANT:contoso.onmicrosoft.com']]);
    assert.equal(result?.token, token);
    assert.equal(result?.expiresOnTimestamp, 2_000_000_000_000);
  });

  it('falls back to a short lifetime for opaque tokens, and fails clearly without a session', async () => {
    const before = Date.now();
    const opaque = await new VsCodeSessionCredential(async () => ({ accessToken: 'opaque' })).getToken(['s']);
    assert.ok((opaque?.expiresOnTimestamp ?? 0) > before && (opaque?.expiresOnTimestamp ?? 0) <= Date.now() + 5 * 60_000);
    await assert.rejects(new VsCodeSessionCredential(async () => undefined).getToken(['s']), (e: { code?: string }) => e.code === 'UNAUTHORIZED');
  });
});

describe('log channel adapter', () => {
  it('redacts secrets once, on the way in, and tags lines with their component', () => {
    const sink = new RecordingLogger();
    const logger = withComponent(createLogger(sink), 'Tree');
    logger.info('GET /v2/ Authorization: Bearer abc.def-123');
    logger.error('password=hunter2&user=x');
    assert.deepEqual(sink.lines, ['info [Tree] GET /v2/ Authorization: Bearer <redacted>', 'error [Tree] password=<redacted>&user=x']);
  });
});
