import * as assert from 'node:assert/strict';
import type { BadgeService } from '../../../src/core/badge/badgeService';
import { AcrStreamingError } from '../../../src/core/errors';
import type { RegistryConnection } from '../../../src/core/connection';
import { parseRegistry } from '../../../src/core/reference';
import { ConnectionManager, type CredentialSource } from '../../../src/services/connectionManager';
import { DIGEST_A, FakeRegistry, FakeStreaming, RecordingLogger } from './fakes';

function manager(credentials: Partial<CredentialSource> = {}, allowInsecure?: () => boolean) {
  const connects: string[] = [];
  const cleared: string[] = [];
  const invalidated: string[] = [];
  const source: CredentialSource = {
    endpointOf: (loginServer) => (loginServer === 'missing.example.io' ? undefined : parseRegistry(loginServer)),
    resolveCredentials: async () => ({ kind: 'anonymous' }),
    ...credentials,
  };
  const m = new ConnectionManager({
    credentials: source,
    entraCredential: () => ({ getToken: async () => null }),
    logger: new RecordingLogger(),
    userAgent: 'test',
    badgeConcurrency: () => 2,
    allowInsecure,
    connect: (endpoint): RegistryConnection => {
      connects.push(endpoint.loginServer);
      return {
        endpoint,
        registry: new FakeRegistry(endpoint.loginServer),
        streaming: new FakeStreaming(endpoint.loginServer),
        clearTokens: () => cleared.push(endpoint.loginServer),
      };
    },
    createBadgeService: () =>
      ({
        getBadge: async (_repository: string, digest: string) => ({ digest, manifest: { digest, mediaType: 'm' }, badge: { kind: 'not-converted' } }),
        invalidate: (repository: string, digest?: string) => invalidated.push(`${repository}@${digest}`),
        dispose: () => undefined,
      }) as unknown as BadgeService,
  });
  return { m, connects, cleared, invalidated };
}

describe('connection manager', () => {
  it('connects once per registry, however many callers ask at once', async () => {
    const { m, connects } = manager();
    const [a, b] = await Promise.all([m.session('reg.example.io'), m.session('reg.example.io')]);
    assert.equal(a, b);
    assert.deepEqual(connects, ['reg.example.io']);
    assert.equal(m.peek('reg.example.io'), a);
    assert.equal((await a.loadBadge('app', DIGEST_A)).kind, 'not-converted');
  });

  it('does not keep a failed connection: the next call tries again', async () => {
    let fail = true;
    const { m, connects } = manager({
      resolveCredentials: async () => {
        if (fail) {
          throw new AcrStreamingError('UNAUTHORIZED', 'No password is stored.');
        }
        return { kind: 'anonymous' };
      },
    });
    await assert.rejects(m.session('reg.example.io'), /No password/);
    fail = false;
    await m.session('reg.example.io');
    assert.deepEqual(connects, ['reg.example.io']);
  });

  it('forgets a session (tokens cleared) so the next use connects with new credentials', async () => {
    const { m, connects, cleared } = manager();
    const first = await m.session('reg.example.io');
    m.forget('reg.example.io');
    assert.deepEqual(cleared, ['reg.example.io']);
    assert.equal(m.peek('reg.example.io'), undefined);
    const second = await m.session('reg.example.io');
    assert.notEqual(first, second);
    assert.equal(connects.length, 2);
  });

  it('drops cached badges only of sessions that exist, and refuses unknown registries', async () => {
    const { m, invalidated } = manager();
    m.forgetBadge('reg.example.io', 'app', DIGEST_A);
    assert.deepEqual(invalidated, []);
    await m.session('reg.example.io');
    m.forgetBadge('reg.example.io', 'app', DIGEST_A);
    assert.deepEqual(invalidated, [`app@${DIGEST_A}`]);
    await assert.rejects(m.session('missing.example.io'), /not in the registry list/);
  });

  it('refuses plain http to a non-loopback registry before looking up any credential, unless the user opted in', async () => {
    let resolved = 0;
    let allow = false;
    const { m, connects } = manager(
      {
        endpointOf: (loginServer) => parseRegistry(`http://${loginServer}`),
        resolveCredentials: async () => {
          resolved++;
          return { kind: 'basic', username: 'u', password: 'p' };
        },
      },
      () => allow,
    );
    await assert.rejects(
      m.session('10.1.2.3:5000'),
      (e: unknown) => e instanceof AcrStreamingError && e.code === 'INVALID_INPUT' && /allowInsecureRegistries/.test(e.describe()),
    );
    assert.equal(resolved, 0);
    assert.deepEqual(connects, []);
    assert.ok(await m.session('127.0.0.1:5000'), 'loopback needs no opt-in');
    allow = true;
    assert.ok(await m.session('10.1.2.3:5000'));
    assert.deepEqual(connects, ['127.0.0.1:5000', '10.1.2.3:5000']);
  });

  it('loads the real connect and badge service lazily when none is injected', async () => {
    // The mocha config hooks only require(); `await import()` of TypeScript needs tsx's ESM hooks.
    const { register } = (await import('tsx/esm/api')) as typeof import('tsx/esm/api');
    const unregister = register();
    try {
      const m = new ConnectionManager({
        credentials: { endpointOf: (l) => parseRegistry(l), resolveCredentials: async () => ({ kind: 'anonymous' }) },
        entraCredential: () => ({ getToken: async () => null }),
        logger: new RecordingLogger(),
        userAgent: 'test',
        badgeConcurrency: () => 2,
      });
      const session = await m.session('http://127.0.0.1:9');
      assert.equal(session.registry.loginServer, '127.0.0.1:9');
      assert.equal(typeof session.badges.getBadge, 'function');
      m.dispose();
    } finally {
      await unregister();
    }
  });
});
