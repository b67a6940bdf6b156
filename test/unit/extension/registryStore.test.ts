import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { parseRegistry } from '../../../src/core/reference';
import { environmentCredentials, RegistryStore, secretKey, STATE_KEYS } from '../../../src/services/registryStore';
import { MemorySecrets, MemoryState } from './fakes';

const fakeCredential: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: 0 }) };

/** `setting` is the user's `acrStreaming.registries`; `workspace` the workspace's. */
function store(setting: unknown = [], env = {}, workspace?: unknown) {
  const state = new MemoryState();
  const secrets = new MemorySecrets();
  let value = setting;
  let workspaceValue = workspace;
  const s = new RegistryStore(state, secrets, () => ({ user: value, workspace: workspaceValue }), env);
  return { s, state, secrets, setSetting: (v: unknown) => (value = v), setWorkspace: (v: unknown) => (workspaceValue = v) };
}

describe('registry store', () => {
  it('lists settings registries first, then added ones, without duplicates', async () => {
    const { s } = store(['b.azurecr.io', 'a.azurecr.io']);
    await s.add(parseRegistry('zz.example.io'), { kind: 'anonymous' });
    await s.add(parseRegistry('a.azurecr.io'), { kind: 'anonymous' });
    assert.deepEqual(
      s.list().map((e) => [e.endpoint.loginServer, e.fromSettings, e.added]),
      [
        ['b.azurecr.io', true, false],
        ['a.azurecr.io', true, false],
        ['zz.example.io', false, true],
      ],
    );
  });

  it('keeps passwords only in secret storage, and username and kind in global state', async () => {
    const { s, state, secrets } = store();
    await s.add(parseRegistry('https://127.0.0.1:5443'), { kind: 'basic', username: 'alice', password: 'p@ss' });
    assert.equal(secrets.values.get(secretKey('127.0.0.1:5443')), 'p@ss');
    const saved = JSON.stringify([...state.values.entries()]);
    assert.ok(!saved.includes('p@ss'), saved);
    assert.deepEqual(state.get(STATE_KEYS.auth), { '127.0.0.1:5443': { kind: 'basic', username: 'alice' } });
    assert.deepEqual(await s.resolveCredentials('127.0.0.1:5443', () => fakeCredential), { kind: 'basic', username: 'alice', password: 'p@ss' });
    assert.equal(s.authLabel(s.get('127.0.0.1:5443')!), 'user alice');
  });

  it('reports a missing password as UNAUTHORIZED, so the tree offers Sign in', async () => {
    const { s, secrets } = store();
    await s.add(parseRegistry('reg.example.io'), { kind: 'basic', username: 'alice', password: 'x' });
    secrets.values.clear();
    await assert.rejects(s.resolveCredentials('reg.example.io', () => fakeCredential), (e: { code?: string }) => e.code === 'UNAUTHORIZED');
  });

  it('uses the environment credentials only for settings registries without a stored sign-in', async () => {
    const env = environmentCredentials({ ACR_STREAMING_USERNAME: 'emu', ACR_STREAMING_PASSWORD: 'emupass' });
    const { s } = store(['https://127.0.0.1:5443'], env);
    await s.add(parseRegistry('added.example.io'), { kind: 'anonymous' });
    assert.deepEqual(await s.resolveCredentials('127.0.0.1:5443', () => fakeCredential), { kind: 'basic', username: 'emu', password: 'emupass' });
    assert.equal(s.authLabel(s.get('127.0.0.1:5443')!), 'user emu (environment)');
    assert.deepEqual(await s.resolveCredentials('added.example.io', () => fakeCredential), { kind: 'anonymous' });
    await s.setAuth('127.0.0.1:5443', { kind: 'anonymous' });
    assert.deepEqual(await s.resolveCredentials('127.0.0.1:5443', () => fakeCredential), { kind: 'anonymous' });
  });

  it('is anonymous without anything stored or in the environment', async () => {
    const { s } = store(['reg.example.io']);
    assert.deepEqual(await s.resolveCredentials('reg.example.io', () => fakeCredential), { kind: 'anonymous' });
    await assert.rejects(s.resolveCredentials('unknown.example.io', () => fakeCredential), /not in the registry list/);
  });

  it('builds an Entra credential with the stored tenant', async () => {
    const { s } = store();
    const tenants: Array<string | undefined> = [];
    await s.add(parseRegistry('reg.azurecr.io'), { kind: 'entra', tenantId: 'contoso.onmicrosoft.com' });
    const credentials = await s.resolveCredentials('reg.azurecr.io', (tenant) => {
      tenants.push(tenant);
      return fakeCredential;
    });
    assert.equal(credentials.kind, 'entra');
    assert.deepEqual(tenants, ['contoso.onmicrosoft.com']);
  });

  it('removes an added registry with its secret, and says when settings still list it', async () => {
    const { s, secrets } = store(['reg.example.io']);
    await s.add(parseRegistry('reg.example.io'), { kind: 'basic', username: 'alice', password: 'x' });
    await s.add(parseRegistry('other.example.io'), { kind: 'basic', username: 'bob', password: 'y' });
    assert.deepEqual(await s.remove('other.example.io'), { stillInSettings: false });
    assert.deepEqual(await s.remove('reg.example.io'), { stillInSettings: true });
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(
      s.list().map((e) => e.endpoint.loginServer),
      ['reg.example.io'],
    );
    assert.equal(s.get('reg.example.io')?.auth, undefined);
  });

  it('ignores malformed global state instead of failing', () => {
    const { s, state } = store();
    state.values.set(STATE_KEYS.added, [{ baseUrl: 'https://ok.example.io' }, { baseUrl: 'not a url at all/x' }, null, 7]);
    state.values.set(STATE_KEYS.auth, { 'ok.example.io': { kind: 'basic' }, other: 'x' });
    assert.deepEqual(
      s.list().map((e) => [e.endpoint.loginServer, e.auth]),
      [['ok.example.io', undefined]],
    );
  });

  it('re-reads the setting and fires a change', () => {
    const { s, setSetting } = store([]);
    let fired = 0;
    s.onDidChange(() => fired++);
    setSetting(['new.example.io', 'bad/entry']);
    const problems = s.reloadSettings();
    assert.equal(fired, 1);
    assert.equal(problems.length, 1);
    assert.deepEqual(
      s.list().map((e) => e.endpoint.loginServer),
      ['new.example.io'],
    );
  });

  describe('workspace registries (a cloned repository\'s settings)', () => {
    const env = environmentCredentials({ ACR_STREAMING_USERNAME: 'emu', ACR_STREAMING_PASSWORD: 'emupass' });

    it('lists a registry only the workspace names, marked and anonymous, without the environment credentials', async () => {
      const { s } = store(['user.example.io'], env, ['https://evil.example.com', 'user.example.io']);
      assert.deepEqual(
        s.list().map((e) => [e.endpoint.loginServer, e.workspaceOnly, e.trusted]),
        [
          ['user.example.io', false, true],
          ['evil.example.com', true, false],
        ],
      );
      assert.deepEqual(await s.resolveCredentials('evil.example.com', () => fakeCredential), { kind: 'anonymous' });
      assert.equal(s.authLabel(s.get('evil.example.com')!), 'workspace registry, anonymous');
      assert.deepEqual(await s.resolveCredentials('user.example.io', () => fakeCredential), { kind: 'basic', username: 'emu', password: 'emupass' });
    });

    it('sends no stored credential to a workspace registry before it is confirmed', async () => {
      const { s, state } = store([], env, ['evil.example.com']);
      // A sign-in stored for that login server by an older version, or by hand.
      await state.update(STATE_KEYS.auth, { 'evil.example.com': { kind: 'entra' } });
      let asked = 0;
      const credentials = await s.resolveCredentials('evil.example.com', () => {
        asked++;
        return fakeCredential;
      });
      assert.deepEqual(credentials, { kind: 'anonymous' });
      assert.equal(asked, 0, 'no Entra credential is even built');
    });

    it('uses the environment credentials once the user trusts the address, and remembers it in global state by address', async () => {
      const { s, state, setWorkspace } = store([], env, ['https://ws.example.io']);
      let fired = 0;
      s.onDidChange(() => fired++);
      await s.trust('ws.example.io');
      assert.equal(fired, 1);
      assert.deepEqual(state.get(STATE_KEYS.trustedWorkspaceRegistries), ['https://ws.example.io']);
      assert.deepEqual(await s.resolveCredentials('ws.example.io', () => fakeCredential), { kind: 'basic', username: 'emu', password: 'emupass' });
      // The same login server at another address (a port, a scheme) is a new question.
      setWorkspace(['https://ws.example.io:8443']);
      s.reloadSettings();
      assert.equal(s.get('ws.example.io:8443')?.trusted, false);
      assert.deepEqual(await s.resolveCredentials('ws.example.io:8443', () => fakeCredential), { kind: 'anonymous' });
    });

    it('trusts a workspace registry the user signs in to, and forgets the trust on Remove', async () => {
      const { s, state } = store([], {}, ['ws.example.io']);
      await s.setAuth('ws.example.io', { kind: 'basic', username: 'alice', password: 'pw' });
      assert.equal(s.get('ws.example.io')?.trusted, true);
      assert.deepEqual(await s.resolveCredentials('ws.example.io', () => fakeCredential), { kind: 'basic', username: 'alice', password: 'pw' });
      await s.remove('ws.example.io');
      assert.deepEqual(state.get(STATE_KEYS.trustedWorkspaceRegistries), []);
      assert.equal(s.get('ws.example.io')?.trusted, false);
    });

    it('trusts a workspace registry the user also added by hand, at the address the user gave', async () => {
      const same = store([], env, ['https://shared.example.io']);
      await same.s.add(parseRegistry('shared.example.io'), { kind: 'anonymous' });
      assert.equal(same.s.get('shared.example.io')?.trusted, true);
      const other = store([], env, ['http://127.0.0.1:5000']);
      await other.s.add(parseRegistry('https://127.0.0.1:5000'), { kind: 'basic', username: 'alice', password: 'pw' });
      assert.deepEqual(other.s.get('127.0.0.1:5000')?.endpoint.baseUrl, 'https://127.0.0.1:5000', 'the workspace cannot move it to http');
      assert.deepEqual(await other.s.resolveCredentials('127.0.0.1:5000', () => fakeCredential), { kind: 'basic', username: 'alice', password: 'pw' });
    });

    it('lets the user\'s settings win when the workspace lists the same login server elsewhere', () => {
      const { s } = store(['https://127.0.0.1:5443'], env, ['http://127.0.0.1:5443']);
      assert.deepEqual(s.list().map((e) => [e.endpoint.baseUrl, e.trusted]), [['https://127.0.0.1:5443', true]]);
      assert.match(s.settingProblems[0].message, /user settings' https:\/\/127\.0\.0\.1:5443 is used/);
    });
  });
});
