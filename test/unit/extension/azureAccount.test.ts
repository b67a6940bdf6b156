import * as assert from 'node:assert/strict';
import { AzureAccount, SIGNED_OUT_KEY, type AzureAccountState } from '../../../src/azure/azureAccount';
import { AZURE_CLOUDS, type AzureCloud } from '../../../src/core/azure/clouds';
import { AcrStreamingError } from '../../../src/core/errors';
import { deferred, FakeAuthentication, session, TENANT_1 } from './azureFakes';
import { MemoryState, RecordingLogger, settle } from './fakes';

const MGMT = AZURE_CLOUDS.AzureCloud.managementScope;

function harness(cloud: AzureCloud = AZURE_CLOUDS.AzureCloud) {
  const auth = new FakeAuthentication();
  const state = new MemoryState();
  const logger = new RecordingLogger();
  let current = cloud;
  const account = new AzureAccount(auth, () => current, state, logger);
  const changes: AzureAccountState[] = [];
  account.onDidChange((s) => changes.push(s));
  return { auth, state, logger, account, changes, setCloud: (c: AzureCloud) => (current = c) };
}

describe('Azure account', () => {
  it('restores an existing session silently, with the management scope, and fires once', async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice@contoso.com', 'acc-1'));
    await h.account.restore();
    assert.deepEqual([...h.auth.requests], [{ providerId: 'microsoft', scopes: [MGMT], options: { silent: true } }]);
    assert.deepEqual(h.account.status, { kind: 'signedIn', label: 'alice@contoso.com', accountId: 'acc-1' });
    assert.equal(h.account.isSignedIn, true);
    assert.deepEqual(h.changes, [{ kind: 'signedIn', label: 'alice@contoso.com', accountId: 'acc-1' }]);
    await h.account.restore();
    assert.equal(h.auth.requests.length, 2);
    assert.equal(h.changes.length, 1, 'the same account again is no change');
    h.account.dispose();
  });

  it("asks the cloud's own provider and scope (sovereign clouds)", async () => {
    const h = harness(AZURE_CLOUDS.AzureChinaCloud);
    h.auth.sessions.set('microsoft-sovereign-cloud', session('bob'));
    await h.account.restore();
    assert.deepEqual([...h.auth.requests], [
      { providerId: 'microsoft-sovereign-cloud', scopes: ['https://management.chinacloudapi.cn/.default'], options: { silent: true } },
    ]);
    assert.equal(h.account.isSignedIn, true);
    h.account.dispose();
  });

  it('stays signed out without firing when there is no session', async () => {
    const h = harness();
    await h.account.restore();
    assert.deepEqual(h.account.status, { kind: 'signedOut' });
    assert.deepEqual(h.changes, []);
    assert.equal(h.auth.requests.length, 1);
    h.account.dispose();
  });

  it('skips the lookup after the user signed out (remembered across reloads)', async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice'));
    await h.state.update(SIGNED_OUT_KEY, true);
    await h.account.restore();
    assert.deepEqual([...h.auth.requests], []);
    assert.equal(h.account.isSignedIn, false);
    assert.deepEqual(h.changes, []);
    h.account.dispose();
  });

  it('signs in with a prompt, clears the signed-out flag and fires', async () => {
    const h = harness();
    await h.state.update(SIGNED_OUT_KEY, true);
    h.auth.prompted = session('carol', 'acc-3');
    const result = await h.account.signIn();
    assert.deepEqual([...h.auth.requests], [{ providerId: 'microsoft', scopes: [MGMT], options: { createIfNone: true } }]);
    assert.deepEqual(result, { kind: 'signedIn', label: 'carol', accountId: 'acc-3' });
    assert.equal(h.state.get(SIGNED_OUT_KEY), false);
    assert.deepEqual(h.changes, [result]);
    assert.ok(h.logger.lines.some((l) => l.startsWith('info ') && l.includes('carol')));
    // The flag is gone, so the next activation looks the session up again.
    const again = harness();
    again.state.values.set(SIGNED_OUT_KEY, h.state.get(SIGNED_OUT_KEY));
    again.auth.sessions.set('microsoft', session('carol', 'acc-3'));
    await again.account.restore();
    assert.equal(again.account.isSignedIn, true);
    h.account.dispose();
    again.account.dispose();
  });

  it('signs in to one more tenant with the tenant pseudo-scope', async () => {
    const h = harness();
    h.auth.prompted = session('carol', 'acc-3');
    await h.account.signIn('fabrikam-tenant');
    assert.deepEqual([...h.auth.requests], [{ providerId: 'microsoft', scopes: [MGMT, 'VSCODE_TENANT:fabrikam-tenant'], options: { createIfNone: true } }]);
    assert.equal(h.account.isSignedIn, true);
    h.account.dispose();
  });

  it('leaves everything as it was when the sign-in prompt is dismissed', async () => {
    const h = harness();
    await h.state.update(SIGNED_OUT_KEY, true);
    h.auth.prompted = undefined;
    const result = await h.account.signIn();
    assert.deepEqual(result, { kind: 'signedOut' });
    assert.equal(h.state.get(SIGNED_OUT_KEY), true);
    assert.deepEqual(h.changes, []);
    h.account.dispose();
  });

  it('signs out: sets the flag, fires signedOut, and a later restore does not look up', async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice'));
    await h.account.restore();
    await h.account.signOut();
    assert.equal(h.state.get(SIGNED_OUT_KEY), true);
    assert.deepEqual(h.account.status, { kind: 'signedOut' });
    assert.deepEqual(
      h.changes.map((c) => c.kind),
      ['signedIn', 'signedOut'],
    );
    const before = h.auth.requests.length;
    await h.account.restore();
    assert.equal(h.auth.requests.length, before);
    assert.equal(h.account.isSignedIn, false);
    h.account.dispose();
  });

  it('gives credentials that ask silently for the scope plus the tenant pseudo-scope', async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice', 'acc-1', 'access-token-1'));
    await h.account.restore();
    h.auth.requests.length = 0;
    const token = await h.account.credential(TENANT_1).getToken('https://containerregistry.azure.net/.default');
    assert.equal(token?.token, 'access-token-1');
    assert.deepEqual([...h.auth.requests], [
      { providerId: 'microsoft', scopes: ['https://containerregistry.azure.net/.default', `VSCODE_TENANT:${TENANT_1}`], options: { silent: true } },
    ]);
    await h.account.credential().getToken(MGMT);
    assert.deepEqual(h.auth.requests[1].scopes, [MGMT], 'the home tenant adds no pseudo-scope');
    assert.equal(h.auth.requests[1].options.createIfNone, undefined, 'a credential never prompts');
    h.account.dispose();
  });

  it('refuses tokens with UNAUTHORIZED when signed out, without asking VS Code', async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice'));
    await h.state.update(SIGNED_OUT_KEY, true);
    await h.account.restore();
    await assert.rejects(
      h.account.credential(TENANT_1).getToken(MGMT),
      (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED',
    );
    assert.deepEqual([...h.auth.requests], []);
    h.account.dispose();
  });

  it("re-checks when the configured provider's sessions change, and ignores other providers", async () => {
    const h = harness();
    h.auth.sessions.set('microsoft', session('alice'));
    await h.account.restore();
    h.auth.requests.length = 0;
    h.auth.sessions.clear();
    h.auth.fireChange('github');
    await settle();
    assert.deepEqual([...h.auth.requests], []);
    assert.equal(h.account.isSignedIn, true);
    h.auth.fireChange('microsoft');
    await settle();
    assert.equal(h.auth.requests.length, 1);
    assert.equal(h.account.isSignedIn, false);
    assert.deepEqual(
      h.changes.map((c) => c.kind),
      ['signedIn', 'signedOut'],
    );
    h.account.dispose();
  });

  it('follows a cloud change: the session-change listener uses the current provider', async () => {
    const h = harness();
    h.setCloud(AZURE_CLOUDS.AzureUSGovernment);
    h.auth.sessions.set('microsoft-sovereign-cloud', session('gov'));
    h.auth.fireChange('microsoft');
    await settle();
    assert.deepEqual([...h.auth.requests], []);
    h.auth.fireChange('microsoft-sovereign-cloud');
    await settle();
    assert.equal(h.auth.requests[0]?.scopes[0], 'https://management.usgovcloudapi.net/.default');
    assert.equal(h.account.isSignedIn, true);
    h.account.dispose();
  });

  it('stays signed out and logs a warning when the provider throws during restore', async () => {
    const h = harness();
    h.auth.failWith = new Error('No authentication provider "microsoft-sovereign-cloud" is currently registered.');
    await h.account.restore();
    assert.deepEqual(h.account.status, { kind: 'signedOut' });
    assert.deepEqual(h.changes, []);
    assert.ok(
      h.logger.lines.some((l) => l.startsWith('warn ') && l.includes('No Azure session') && l.includes('registered')),
      h.logger.lines.join('\n'),
    );
    h.account.dispose();
  });

  it('shares one lookup between overlapping restores', async () => {
    const h = harness();
    const gate = deferred<void>();
    h.auth.gate = gate.promise;
    h.auth.sessions.set('microsoft', session('alice'));
    const first = h.account.restore();
    const second = h.account.restore();
    gate.resolve();
    await Promise.all([first, second]);
    assert.equal(h.auth.requests.length, 1);
    assert.equal(h.changes.length, 1);
    h.account.dispose();
  });

  // The signed-out flag is read again after the silent lookup: a sign-out meanwhile wins.
  it('does not sign back in when signOut() lands during a pending restore', async () => {
    const h = harness();
    const gate = deferred<void>();
    h.auth.gate = gate.promise;
    h.auth.sessions.set('microsoft', session('alice'));
    const restoring = h.account.restore();
    await settle();
    await h.account.signOut();
    gate.resolve();
    await restoring;
    assert.equal(h.account.isSignedIn, false);
    h.account.dispose();
  });

  it('stops listening to session changes when disposed', () => {
    const h = harness();
    assert.equal(h.auth.listenerCount, 1);
    h.account.dispose();
    assert.equal(h.auth.listenerCount, 0);
  });
});
