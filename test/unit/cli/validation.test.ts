/** Invalid input: exit 2, an `error:` line on stderr, nothing on stdout, and no connection made. */
import assert from 'node:assert/strict';
import { harness } from './cliHarness';

const R = ['--registry', 'myregistry.azurecr.io'];
const DIGEST = `sha256:${'a'.repeat(64)}`;

const cases: Array<{ name: string; argv: string[]; mentions: RegExp; env?: Record<string, string> }> = [
  { name: 'no command', argv: [], mentions: /Usage: acr-streaming/ },
  { name: 'an unknown command', argv: ['convert', ...R], mentions: /unknown command/ },
  { name: 'an unknown option', argv: ['create', ...R, '-t', 'samples/hello:1.0', '--force-it'], mentions: /unknown option/ },
  { name: 'an option without its value', argv: ['create', ...R, '--image'], mentions: /argument missing/ },
  { name: 'create without --image', argv: ['create', ...R], mentions: /No image was given/ },
  { name: 'create without a registry', argv: ['create', '-t', 'samples/hello:1.0'], mentions: /No registry was given/ },
  { name: 'a registry with a path', argv: ['show', '-r', 'https://myreg.azurecr.io/v2', '--repository', 'samples/hello'], mentions: /path, query or fragment/ },
  { name: 'a registry URL with credentials', argv: ['show', '-r', 'https://u:p@myreg.azurecr.io', '--repository', 'samples/hello'], mentions: /contains credentials/ },
  { name: 'a too short registry name', argv: ['show', '-r', 'abc', '--repository', 'samples/hello'], mentions: /not a valid registry name/ },
  { name: '--registry and --name that differ', argv: ['show', '-r', 'myregistry', '-n', 'otherregistry', '--repository', 'samples/hello'], mentions: /different registries/ },
  { name: 'an image in another registry', argv: ['create', ...R, '-t', 'other.azurecr.io/samples/hello:1.0'], mentions: /is in other\.azurecr\.io/ },
  { name: 'an upper-case repository in the image', argv: ['create', ...R, '-t', 'Samples/Hello:1.0'], mentions: /not a valid repository name/ },
  { name: 'an image without tag or digest', argv: ['status', ...R, '-t', 'samples/hello'], mentions: /names no tag or digest/ },
  { name: 'an invalid tag', argv: ['status', ...R, '-t', 'samples/hello:-bad'], mentions: /not a valid tag/ },
  { name: 'an invalid digest', argv: ['list-referrers', ...R, '-t', 'samples/hello@sha256:1234'], mentions: /not a valid digest/ },
  { name: 'update without --enable-streaming', argv: ['update', ...R, '--repository', 'samples/hello'], mentions: /needs a value: true or false/ },
  { name: 'update with --enable-streaming maybe', argv: ['update', ...R, '--repository', 'samples/hello', '--enable-streaming', 'maybe'], mentions: /must be true or false/ },
  { name: 'update without --repository', argv: ['update', ...R, '--enable-streaming', 'true'], mentions: /No repository was given/ },
  { name: 'show with an invalid repository', argv: ['show', ...R, '--repository', 'samples//hello'], mentions: /not a valid repository name/ },
  { name: 'operation show with nothing named', argv: ['operation', 'show', ...R], mentions: /No operation was named/ },
  { name: 'operation show with --image and --id', argv: ['operation', 'show', ...R, '-t', 'samples/hello:1.0', '--id', 'abc'], mentions: /cannot be combined/ },
  { name: 'operation show with --repository only', argv: ['operation', 'show', ...R, '--repository', 'samples/hello'], mentions: /--repository needs --id/ },
  { name: 'operation cancel with --id only', argv: ['operation', 'cancel', ...R, '--id', '7dfcc117'], mentions: /--id needs --repository/ },
  { name: 'operation cancel with an invalid id', argv: ['operation', 'cancel', ...R, '--repository', 'samples/hello', '--id', '../../v2/_catalog'], mentions: /not a valid operation id/ },
  { name: 'operation with no subcommand', argv: ['operation'], mentions: /Usage: acr-streaming operation/ },
  { name: 'an invalid --artifact-type', argv: ['list-referrers', ...R, '-t', `samples/hello@${DIGEST}`, '--artifact-type', 'not a type'], mentions: /not a media type/ },
  { name: 'an unknown --output', argv: ['show', ...R, '--repository', 'samples/hello', '-o', 'yaml'], mentions: /invalid/ },
  { name: 'an unknown --auth', argv: ['show', ...R, '--repository', 'samples/hello', '--auth', 'kerberos'], mentions: /invalid/ },
  { name: '--password without a username', argv: ['show', ...R, '--repository', 'samples/hello', '-p', 's3cret-value'], mentions: /without a username/ },
  { name: 'a username without a password', argv: ['show', ...R, '--repository', 'samples/hello', '-u', 'admin'], mentions: /No password was given/ },
  { name: '--auth basic without a username', argv: ['show', ...R, '--repository', 'samples/hello', '--auth', 'basic'], mentions: /A username is needed/ },
  { name: '--auth anonymous with a username', argv: ['show', ...R, '--repository', 'samples/hello', '--auth', 'anonymous', '-u', 'admin', '-p', 'pw'], mentions: /cannot be used with --auth anonymous/ },
  { name: '--auth entra with a password', argv: ['show', ...R, '--repository', 'samples/hello', '--auth', 'entra', '-u', 'admin', '-p', 'pw'], mentions: /cannot be used with --auth entra/ },
  { name: 'a username from the environment without a password', argv: ['show', ...R, '--repository', 'samples/hello'], env: { ACR_STREAMING_USERNAME: 'admin' }, mentions: /No password was given/ },
  { name: '--timeout with --no-wait', argv: ['create', ...R, '-t', 'samples/hello:1.0', '--no-wait', '--timeout', '30'], mentions: /cannot be used with --no-wait/ },
  { name: 'a negative --timeout', argv: ['create', ...R, '-t', 'samples/hello:1.0', '--timeout', '-5'], mentions: /--timeout must be/ },
  { name: 'an excess argument', argv: ['show', ...R, '--repository', 'samples/hello', 'extra'], mentions: /too many arguments|unknown command/ },
];

describe('cli: invalid input', () => {
  for (const c of cases) {
    it(`${c.name} → exit 2, nothing sent`, async () => {
      const h = harness({ env: c.env });
      const code = await h.run(...c.argv);
      assert.equal(code, 2, `stderr: ${h.stderr.text}`);
      assert.equal(h.connects.length, 0, 'connect must not be called');
      assert.equal(h.entraLoads, 0, 'no credential may be loaded');
      assert.match(h.stderr.text, c.mentions);
      assert.equal(h.stdout.text, '', 'nothing on stdout');
    });
  }

  it('writes "error:" and a hint for input errors of its own', async () => {
    const h = harness();
    assert.equal(await h.run('create', ...R), 2);
    assert.match(h.stderr.text, /^error: No image was given\.\nhint: Give --image \(-t\)/);
  });

  it('never echoes a password given on the command line, even when the input is wrong', async () => {
    const h = harness();
    assert.equal(await h.run('show', ...R, '--repository', 'Bad Repo', '-u', 'admin', '-p', 'hunter2-secret'), 2);
    assert.doesNotMatch(h.stderr.text + h.stdout.text, /hunter2-secret/);
  });

  it('prints help to stdout with exit 0 and connects nowhere', async () => {
    for (const argv of [['--help'], ['create', '--help'], ['operation', 'cancel', '--help'], ['help', 'status']]) {
      const h = harness();
      assert.equal(await h.run(...argv), 0, argv.join(' '));
      assert.match(h.stdout.text, /Usage: acr-streaming/);
      assert.equal(h.connects.length, 0);
    }
  });

  it('takes the registry from the image when --registry is left out', async () => {
    let seen = '';
    const h = harness({
      connect: (endpoint) => {
        seen = endpoint.baseUrl;
        throw new Error('stop here');
      },
    });
    assert.equal(await h.run('status', '-t', 'myregistry.azurecr.io/samples/hello:1.0', '--auth', 'anonymous'), 1);
    assert.equal(seen, 'https://myregistry.azurecr.io');
  });

  it('accepts -n and a bare registry name, as az does', async () => {
    let seen = '';
    const h = harness({
      connect: (endpoint) => {
        seen = endpoint.loginServer;
        throw new Error('stop here');
      },
    });
    await h.run('show', '-n', 'myregistry', '--repository', 'samples/hello', '--auth', 'anonymous');
    assert.equal(seen, 'myregistry.azurecr.io');
  });
});
