import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { environmentCredentials, RegistryStore } from '../../../src/services/registryStore';
import { confirmWorkspaceRegistry, TRUST_ACTIONS, type AskModal } from '../../../src/services/workspaceRegistryTrust';
import { MemorySecrets, MemoryState } from './fakes';

const noEntra = (): TokenCredential => assert.fail('no Entra credential expected');

function setup(env: Record<string, string> = {}) {
  const store = new RegistryStore(new MemoryState(), new MemorySecrets(), () => ({ user: ['mine.azurecr.io'], workspace: ['https://ws.example.com'] }), environmentCredentials(env));
  const asked: Array<{ message: string; detail: string; actions: readonly string[] }> = [];
  const answering =
    (answer: string | undefined): AskModal =>
    async (message, detail, actions) => {
      asked.push({ message, detail, actions });
      return answer;
    };
  return { store, asked, answering };
}

describe('confirming a workspace registry', () => {
  const env = { ACR_STREAMING_USERNAME: 'emu', ACR_STREAMING_PASSWORD: 'emupass' };

  it('names the host, its address and the environment credentials it would get', async () => {
    const { store, asked, answering } = setup(env);
    assert.equal(await confirmWorkspaceRegistry(store, 'ws.example.com', answering(undefined)), 'declined');
    assert.equal(asked.length, 1);
    assert.match(asked[0].message, /ws\.example\.com/);
    assert.match(asked[0].detail, /https:\/\/ws\.example\.com/);
    assert.match(asked[0].detail, /ACR_STREAMING_USERNAME "emu"/);
    assert.ok(!asked[0].detail.includes('emupass'), 'the password is never shown');
    assert.deepEqual(asked[0].actions, [TRUST_ACTIONS.useEnvironment, TRUST_ACTIONS.signIn]);
    assert.deepEqual(await store.resolveCredentials('ws.example.com', noEntra), { kind: 'anonymous' }, 'declining changes nothing');
  });

  it('trusts the address with the environment credentials when the user says so, and asks no more', async () => {
    const { store, asked, answering } = setup(env);
    assert.equal(await confirmWorkspaceRegistry(store, 'ws.example.com', answering(TRUST_ACTIONS.useEnvironment)), 'use-environment');
    assert.deepEqual(await store.resolveCredentials('ws.example.com', noEntra), { kind: 'basic', username: 'emu', password: 'emupass' });
    assert.equal(await confirmWorkspaceRegistry(store, 'ws.example.com', answering(undefined)), 'not-needed');
    assert.equal(asked.length, 1);
  });

  it('leaves trust to the sign-in when the user chooses to sign in (nothing trusted if they then back out)', async () => {
    const { store, asked, answering } = setup();
    assert.equal(await confirmWorkspaceRegistry(store, 'ws.example.com', answering(TRUST_ACTIONS.signIn)), 'sign-in');
    assert.deepEqual(asked[0].actions, [TRUST_ACTIONS.signIn], 'no environment credentials to offer');
    assert.equal(store.get('ws.example.com')?.trusted, false);
  });

  it('does not ask about the user\'s own registries', async () => {
    const { store, asked, answering } = setup(env);
    assert.equal(await confirmWorkspaceRegistry(store, 'mine.azurecr.io', answering(undefined)), 'not-needed');
    assert.equal(asked.length, 0);
  });
});
