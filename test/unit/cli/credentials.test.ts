import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandOnPath } from '../../../src/cli/commandOnPath';
import { authHint, chooseCredentials, entraSignals, toRegistryCredentials, type CredentialChoice } from '../../../src/cli/credentials';
import { InvalidInputError } from '../../../src/core/errors';

const nothingOnPath = () => false;

describe('cli: credentials selection', () => {
  it('auto: basic from --username/--password', () => {
    const choice = chooseCredentials({ username: 'admin', password: 'pw' }, {}, nothingOnPath);
    assert.deepEqual({ ...choice, reason: undefined }, { kind: 'basic', username: 'admin', password: 'pw', reason: undefined });
  });

  it('auto: basic from ACR_STREAMING_USERNAME/PASSWORD', () => {
    const choice = chooseCredentials({}, { ACR_STREAMING_USERNAME: 'env-user', ACR_STREAMING_PASSWORD: 'env-pw' }, nothingOnPath);
    assert.equal(choice.kind, 'basic');
    assert.equal(choice.kind === 'basic' && choice.username, 'env-user');
    assert.equal(choice.kind === 'basic' && choice.password, 'env-pw');
    assert.match(choice.reason, /ACR_STREAMING_USERNAME/);
  });

  it('flags win over the environment', () => {
    const choice = chooseCredentials({ username: 'flag-user', password: 'flag-pw' }, { ACR_STREAMING_USERNAME: 'env-user', ACR_STREAMING_PASSWORD: 'env-pw' }, nothingOnPath);
    assert.equal(choice.kind === 'basic' && `${choice.username}:${choice.password}`, 'flag-user:flag-pw');
  });

  it('a flag username takes the password from the environment', () => {
    const choice = chooseCredentials({ username: 'flag-user' }, { ACR_STREAMING_PASSWORD: 'env-pw' }, nothingOnPath);
    assert.equal(choice.kind === 'basic' && choice.password, 'env-pw');
  });

  it('auto: Entra when AZURE_* variables are set, with the tenant', () => {
    const choice = chooseCredentials({}, { AZURE_CLIENT_ID: 'id', AZURE_CLIENT_SECRET: 's', AZURE_TENANT_ID: 'tenant-1' }, nothingOnPath);
    assert.equal(choice.kind, 'entra');
    assert.equal(choice.kind === 'entra' && choice.tenantId, 'tenant-1');
    assert.match(choice.reason, /AZURE_CLIENT_ID/);
  });

  it('auto: Entra when az is on PATH', () => {
    const choice = chooseCredentials({}, {}, (name) => name === 'az');
    assert.equal(choice.kind, 'entra');
    assert.match(choice.reason, /az on PATH/);
  });

  it('auto: a managed identity endpoint counts as an Azure sign-in', () => {
    assert.equal(chooseCredentials({}, { IDENTITY_ENDPOINT: 'http://169.254.169.254/x' }, nothingOnPath).kind, 'entra');
  });

  it('auto: anonymous when there is no username and no sign of Azure', () => {
    const choice = chooseCredentials({}, { AZURE_TENANT_ID: 'only-a-tenant', PATH: '/usr/bin' }, nothingOnPath);
    assert.equal(choice.kind, 'anonymous');
  });

  it('auto: a username wins over Azure signs', () => {
    assert.equal(chooseCredentials({ username: 'u', password: 'p' }, { AZURE_CLIENT_ID: 'x' }, () => true).kind, 'basic');
  });

  it('explicit modes override auto detection', () => {
    assert.equal(chooseCredentials({ auth: 'anonymous' }, { AZURE_CLIENT_ID: 'x' }, () => true).kind, 'anonymous');
    assert.equal(chooseCredentials({ auth: 'entra' }, {}, nothingOnPath).kind, 'entra');
    // Environment credentials are ignored (not refused) when another mode is asked for.
    assert.equal(chooseCredentials({ auth: 'anonymous' }, { ACR_STREAMING_USERNAME: 'u', ACR_STREAMING_PASSWORD: 'p' }, nothingOnPath).kind, 'anonymous');
    assert.equal(chooseCredentials({ auth: 'BASIC' }, { ACR_STREAMING_USERNAME: 'u', ACR_STREAMING_PASSWORD: 'p' }, nothingOnPath).kind, 'basic');
  });

  it('refuses bad combinations as input errors', () => {
    const refuse = (options: Parameters<typeof chooseCredentials>[0], env: Record<string, string> = {}) =>
      assert.throws(() => chooseCredentials(options, env, nothingOnPath), InvalidInputError);
    refuse({ auth: 'nope' });
    refuse({ password: 'pw' });
    refuse({ username: 'u' });
    refuse({ username: '  ' });
    refuse({ username: 'u', password: '' });
    refuse({ auth: 'basic' });
    refuse({ auth: 'entra', username: 'u', password: 'p' });
    refuse({ auth: 'anonymous', password: 'p' });
    refuse({}, { ACR_STREAMING_USERNAME: 'u' });
  });

  it('loads the Entra credential only for an Entra choice', async () => {
    let loads = 0;
    const credential = { getToken: async () => null };
    const load = async () => {
      loads += 1;
      return credential;
    };
    assert.deepEqual(await toRegistryCredentials({ kind: 'anonymous', reason: '' }, load, {}), { kind: 'anonymous' });
    assert.deepEqual(await toRegistryCredentials({ kind: 'basic', username: 'u', password: 'p', reason: '' }, load, {}), { kind: 'basic', username: 'u', password: 'p' });
    assert.equal(loads, 0);
    const entra = await toRegistryCredentials({ kind: 'entra', tenantId: 't', reason: '' }, load, {});
    assert.equal(loads, 1);
    assert.deepEqual(entra, { kind: 'entra', credential, tenantId: 't' });
  });

  it('lists what in the environment suggests an Azure sign-in', () => {
    assert.deepEqual(entraSignals({ AZURE_FEDERATED_TOKEN_FILE: '/var/run/token', MSI_ENDPOINT: '' }, (name) => name === 'azd'), ['AZURE_FEDERATED_TOKEN_FILE', 'azd on PATH']);
  });

  it('gives an auth hint that fits how the user signed in', () => {
    const hints = (['anonymous', 'entra'] as const).map((kind) => authHint({ kind, reason: 'r' } as CredentialChoice));
    assert.match(hints[0], /--username and --password/);
    assert.match(hints[1], /az login/);
  });

  it('finds executables on PATH without running them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-path-'));
    writeFileSync(join(dir, 'az'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'az'), 0o755);
    writeFileSync(join(dir, 'azd'), 'not executable');
    chmodSync(join(dir, 'azd'), 0o644);
    assert.equal(commandOnPath('az', { PATH: `/nonexistent:${dir}` }, 'linux'), true);
    assert.equal(commandOnPath('azd', { PATH: dir }, 'linux'), false);
    assert.equal(commandOnPath('az', { PATH: '' }, 'linux'), false);
  });
});
