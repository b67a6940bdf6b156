/**
 * The built CLI (`node dist/cli.js`), run as a child process against the seeded emulator:
 * every command, the exit codes, JSON output, progress, secrets, and create's idempotence
 * under a lost POST reply.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle, type FaultRule } from '../../../emulator';
import { buildImage, buildLayer } from '../../../emulator/oci/imageBuilder';
import { OciClient } from '../../../emulator/oci/ociClient';
import { pushImage } from '../../../emulator/oci/pushImage';
import { runCli as runInProcess } from '../../../src/cli/program';
import { connect } from '../../../src/core/connect';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { ensureBuilt, runCli, said, type CliRun } from './cliProcess';

// Shapes of the JSON documents, as far as the assertions read them.
interface OperationDoc {
  id: string;
  status: string;
  progress: number;
  digest?: string;
  errorCode?: string;
}
interface CreateDoc {
  image: string;
  digest: string;
  result: 'exists' | 'reused' | 'started';
  waited: boolean;
  operation?: OperationDoc;
  artifacts?: Array<{ digest: string; artifactType: string }>;
}
interface StatusDoc {
  state: string;
  code?: string;
  reason?: string;
  platforms?: string[];
  detail: string;
  operation?: OperationDoc;
}
interface ReferrersDoc {
  digest: string;
  referrers: Array<{ digest: string; artifactType?: string }>;
}

const COUNT = 1_000_000;

function json<T>(run: CliRun): T {
  assert.doesNotThrow(() => JSON.parse(run.stdout), `stdout is not one JSON document\n${said(run)}`);
  return JSON.parse(run.stdout) as T;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('acr-streaming CLI against the emulator', function () {
  this.timeout(90_000);
  let emulator: EmulatorHandle;
  let R: string[];
  let env: Record<string, string>;

  const cli = (...args: string[]) => runCli(args, env);

  /** A rule that only counts the requests matching `match` (every request when unset). */
  const counting = (match?: string): FaultRule => ({ kind: 'latency', latencyMs: 0, times: COUNT, ...(match ? { match } : {}) });
  async function remaining(index = 0): Promise<number> {
    const reply = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ remaining: number }> };
    return reply.rules[index].remaining;
  }
  const counted = async (index = 0) => COUNT - (await remaining(index));

  before(async function () {
    this.timeout(240_000);
    const [started] = await Promise.all([startEmulator({ seed: true, conversionBytesPerSecond: 0 }), ensureBuilt()]);
    emulator = started;
    R = ['--registry', emulator.url];
    env = { ACR_STREAMING_USERNAME: emulator.username, ACR_STREAMING_PASSWORD: emulator.password };
  });

  after(async () => {
    await emulator?.stop();
  });

  afterEach(() => {
    emulator.clearFaults();
    emulator.setConversionSpeed(0);
  });

  it('prints help for every command, exit 0', async () => {
    // One per level of the command tree; the unit tests cover the help of every command.
    const commands = [[], ['create'], ['operation', 'cancel']];
    const runs = await Promise.all(commands.map((command) => cli(...command, '--help')));
    runs.forEach((run, i) => {
      assert.equal(run.code, 0, said(run));
      assert.match(run.stdout, new RegExp(`Usage: acr-streaming${commands[i].length ? ` ${commands[i].join(' ')}` : ''} \\[options\\]`));
    });
    assert.match(runs[0].stdout, /Exit codes: 0 success/);
  });

  it('refuses invalid input with exit 2 and sends the registry nothing', async () => {
    emulator.setFaults([counting()]);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const runs = await Promise.all([
      cli('create', ...R, '-t', 'Samples/Hello:1.0'),
      cli('update', ...R, '--repository', 'samples/hello', '--enable-streaming', 'maybe'),
      cli('operation', 'cancel', ...R, '--repository', 'samples/hello', '--id', '../_catalog'),
      cli('status', ...R, '-t', 'samples/hello'),
      cli('show', ...R, '--repository', 'samples/hello', '--auth', 'entra', '-p', 'not-with-entra'),
      cli('show', '--registry', closed, '--repository', 'UPPER'),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 2, said(run));
      assert.equal(run.stdout, '', said(run));
      assert.match(run.stderr, /^error: /, said(run));
    }
    assert.ok(runs[runs.length - 1].ms < 15_000, 'no connection attempt, so no retries');
    assert.equal(await counted(), 0, 'the emulator saw a request');
  });

  it('reports the status of each sample, with the reason for the unconvertible ones', async () => {
    const images = ['samples/hello:1.0', 'samples/multiarch:1.0', 'samples/arm64-only:1.0', 'samples/arm64-only:arm64-image', 'samples/docker-v2:1.0', 'samples/signed:1.0'];
    const [runs, referrers] = await Promise.all([
      Promise.all(images.map((image) => cli('status', ...R, '-t', image, '-o', 'json'))),
      cli('list-referrers', ...R, '-t', 'samples/signed:1.0', '-o', 'json'),
    ]);
    runs.forEach((run) => assert.equal(run.code, 0, said(run)));
    const [hello, multiarch, arm64Index, arm64Image, dockerV2, signed] = runs.map((run) => json<StatusDoc>(run));
    for (const doc of [hello, multiarch, dockerV2, signed]) {
      assert.equal(doc.state, 'not-converted');
    }
    assert.deepEqual([arm64Index.state, arm64Index.code, arm64Index.reason], ['unsupported', 'NO_SUPPORTED_PLATFORM_FOUND', 'platform']);
    assert.deepEqual(arm64Index.platforms, ['linux/arm64', 'linux/arm/v7']);
    assert.match(arm64Index.detail, /no linux\/amd64 entry/);
    assert.deepEqual([arm64Image.state, arm64Image.code], ['unsupported', 'UNSUPPORTED_PLATFORM']);

    // The signature that refers to samples/signed:1.0 is not runnable.
    assert.equal(referrers.code, 0, said(referrers));
    const signatures = json<ReferrersDoc>(referrers).referrers;
    assert.equal(signatures.length, 1);
    assert.equal(signatures[0].artifactType, 'application/vnd.cncf.notary.signature');
    const signature = await cli('status', ...R, '-t', `samples/signed@${signatures[0].digest}`);
    assert.equal(signature.code, 0, said(signature));
    assert.match(signature.stdout, /State\s+not convertible: not runnable/);
    assert.match(signature.stdout, /signatures and SBOMs/);
  });

  it('create waits for Succeeded, shows progress on stderr, and list-referrers then shows the artifact', async () => {
    const created = await cli('create', ...R, '-t', 'samples/hello:1.0', '-o', 'json');
    assert.equal(created.code, 0, said(created));
    const doc = json<CreateDoc>(created);
    assert.equal(doc.result, 'started');
    assert.equal(doc.waited, true);
    assert.equal(doc.operation?.status, 'Succeeded');
    assert.equal(doc.artifacts?.length, 1);
    assert.match(created.stderr, /Started the conversion of samples\/hello:1\.0/);
    assert.match(created.stderr, /^Converting samples\/hello:1\.0: /m, 'plain progress lines when stderr is not a terminal');
    assert.ok(!created.stderr.includes('\x1b'), 'no terminal control sequences in a pipe');

    const [table, filtered, status] = await Promise.all([
      cli('list-referrers', ...R, '-t', 'samples/hello:1.0'),
      cli('list-referrers', ...R, '-t', `samples/hello@${doc.digest}`, '--artifact-type', STREAMING_ARTIFACT_TYPE, '-o', 'json'),
      cli('status', ...R, '-t', 'samples/hello:1.0', '-o', 'json'),
    ]);
    const artifact = doc.artifacts?.[0].digest as string;
    assert.equal(table.code, 0, said(table));
    assert.match(table.stdout, new RegExp(`${artifact}\\s+${STREAMING_ARTIFACT_TYPE.replace(/\./g, '\\.')}\\s+.*overlaybd v1, linux/amd64`));
    assert.deepEqual(json<ReferrersDoc>(filtered).referrers.map((r) => r.digest), [artifact]);
    assert.equal(json<StatusDoc>(status).state, 'streamed');
  });

  it('create again skips the image: "already exists", exit 0, no POST', async () => {
    emulator.setFaults([counting('^POST /acr/v1/.*/_streaming/sha256')]);
    const again = await cli('create', ...R, '-t', 'samples/hello:1.0');
    assert.equal(again.code, 0, said(again));
    assert.match(again.stdout, /already has a streaming artifact: sha256:[a-f0-9]{64} \(overlaybd v1, linux\/amd64\)\. Nothing to do\./);
    assert.equal(await counted(), 0);
  });

  it('create --no-wait, then operation show and operation cancel', async () => {
    emulator.setConversionSpeed(20_000);
    const started = await cli('create', ...R, '-t', 'samples/hello:1.1', '--no-wait', '-o', 'json');
    assert.equal(started.code, 0, said(started));
    const doc = json<CreateDoc>(started);
    assert.equal(doc.result, 'started');
    assert.equal(doc.waited, false);
    const id = doc.operation?.id as string;

    const [byImage, byId] = await Promise.all([
      cli('operation', 'show', ...R, '-t', 'samples/hello:1.1', '-o', 'json'),
      cli('operation', 'show', ...R, '--repository', 'samples/hello', '--id', id),
    ]);
    assert.equal(byImage.code, 0, said(byImage));
    const shown = json<OperationDoc>(byImage);
    assert.equal(shown.id, id);
    assert.match(shown.status, /^(NotStarted|Running)$/);
    assert.equal(shown.digest, doc.digest);
    assert.equal(byId.code, 0, said(byId));
    assert.match(byId.stdout, new RegExp(`Operation\\s+${id}`));

    const cancelled = await cli('operation', 'cancel', ...R, '--repository', 'samples/hello', '--id', id, '-o', 'json');
    assert.equal(cancelled.code, 0, said(cancelled));
    assert.equal(json<OperationDoc>(cancelled).status, 'Canceled');

    const [after, status, again] = await Promise.all([
      cli('operation', 'show', ...R, '-t', 'samples/hello:1.1', '-o', 'json'),
      cli('status', ...R, '-t', 'samples/hello:1.1', '-o', 'json'),
      cli('operation', 'cancel', ...R, '-t', 'samples/hello:1.1'),
    ]);
    assert.deepEqual([json<OperationDoc>(after).id, json<OperationDoc>(after).status], [id, 'Canceled']);
    const badge = json<StatusDoc>(status);
    assert.equal(badge.state, 'not-converted');
    assert.equal(badge.operation?.status, 'Canceled');
    assert.equal(again.code, 0, said(again));
    assert.match(again.stdout, /already cancelled/);
  });

  it('update turns auto-conversion on and off, and show follows', async () => {
    const on = await cli('update', ...R, '--repository', 'samples/docker-v2', '--enable-streaming', 'true');
    assert.equal(on.code, 0, said(on));
    assert.match(on.stdout, /Streaming\s+Active/);
    const shownOn = await cli('show', ...R, '--repository', 'samples/docker-v2', '-o', 'json');
    assert.equal(json<{ state: string; convertPushedImages: boolean }>(shownOn).state, 'Active');

    const off = await cli('update', ...R, '--repository', 'samples/docker-v2', '--enable-streaming', 'false', '-o', 'json');
    assert.equal(json<{ state: string }>(off).state, 'Inactive');
    const [shownOff, auto] = await Promise.all([cli('show', ...R, '--repository', 'samples/docker-v2'), cli('show', ...R, '--repository', 'samples/auto')]);
    assert.match(shownOff.stdout, /Streaming\s+Inactive/);
    assert.match(auto.stdout, /Streaming\s+Active/);
  });

  it('a wrong password exits 1 with an authentication message and never shows the password', async () => {
    const wrong = 'Wr0ng-Passw0rd-Do-Not-Print';
    const [flag, fromEnv, anonymous] = await Promise.all([
      runCli(['show', ...R, '--repository', 'samples/hello', '-u', emulator.username, '-p', wrong, '--verbose']),
      runCli(['status', ...R, '-t', 'samples/hello:1.0', '-o', 'json'], { ACR_STREAMING_USERNAME: emulator.username, ACR_STREAMING_PASSWORD: wrong }),
      runCli(['show', ...R, '--repository', 'samples/hello']),
    ]);
    for (const run of [flag, fromEnv]) {
      assert.equal(run.code, 1, said(run));
      assert.match(run.stderr, /error: .*refused the credentials/, said(run));
      assert.match(run.stderr, /hint: Check the username and password/);
      assert.equal(run.stdout, '');
      assert.ok(!(run.stdout + run.stderr).includes(wrong), said(run));
    }
    assert.equal(anonymous.code, 1, said(anonymous));
    assert.match(anonymous.stderr, /UNAUTHORIZED/);
    assert.match(anonymous.stderr, /hint: Signed in anonymously/);
  });

  it('--verbose logs the requests on stderr without any secret', async () => {
    const run = await cli('status', ...R, '-t', 'samples/multiarch:1.0', '--verbose', '-o', 'json');
    assert.equal(run.code, 0, said(run));
    assert.equal(json<StatusDoc>(run).state, 'not-converted', 'stdout still holds only the JSON document');
    assert.match(run.stderr, /debug: GET http:\/\/127\.0\.0\.1:\d+\/v2\/samples\/multiarch\/manifests\/1\.0 → 200/);
    assert.match(run.stderr, /oauth2\/token/);
    assert.ok(!run.stderr.includes(emulator.password));
    assert.doesNotMatch(run.stderr, /eyJ[A-Za-z0-9_-]{10,}|Basic [A-Za-z0-9+/=]{8,}|access_token=[^<]/);
  });

  it('a conversion that fails exits 1 with the failure code', async () => {
    // An image whose layer disappears from the registry: the conversion fails with RESOURCE_NOT_FOUND.
    const client = new OciClient({ baseUrl: emulator.url, authorization: `Basic ${Buffer.from(`${emulator.username}:${emulator.password}`).toString('base64')}` });
    const layer = await buildLayer({ files: [{ path: 'cli-test/broken.txt', content: Buffer.from('lost layer\n'.repeat(100)) }] });
    await pushImage(client, 'cli-test/broken', await buildImage({ platform: { os: 'linux', architecture: 'amd64' }, layers: [layer] }), '1.0');
    const deleted = await fetch(`${emulator.upstreamUrl}/v2/cli-test/broken/blobs/${layer.digest}`, { method: 'DELETE' });
    assert.equal(deleted.status, 202);

    const run = await cli('create', ...R, '-t', 'cli-test/broken:1.0', '-o', 'json');
    assert.equal(run.code, 1, said(run));
    const doc = json<CreateDoc>(run);
    assert.equal(doc.operation?.status, 'Failed');
    assert.equal(doc.operation?.errorCode, 'RESOURCE_NOT_FOUND');
    assert.match(run.stderr, /error: The conversion of cli-test\/broken:1\.0 \(operation [^)]+\) failed \(RESOURCE_NOT_FOUND\)/);
    assert.match(run.stderr, /hint: /);
  });

  it('create whose POST reply is lost after it landed still starts exactly one conversion, exit 0', async () => {
    const post = '^POST /acr/v1/.*/_streaming/sha256';
    // The CLI's first POST carries no token yet and is challenged (401): hold it, and only then
    // arm the fault, so that the reply lost is the one of the authenticated POST that started
    // the conversion.
    emulator.setFaults([{ match: post, kind: 'latency', latencyMs: 2_000, times: 1 }]);
    const running = cli('create', ...R, '-t', 'samples/multiarch:1.0', '-o', 'json');
    const deadline = Date.now() + 30_000;
    while ((await remaining()) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    emulator.setFaults([{ match: post, times: 1, kind: 'drop', afterHandling: true }, counting(post)]);
    const run = await running;
    assert.equal(run.code, 0, said(run));
    const doc = json<CreateDoc>(run);
    assert.equal(doc.result, 'reused', `the landed POST was found instead of posting again\n${said(run)}`);
    assert.equal(doc.operation?.status, 'Succeeded');
    assert.equal(await counted(1), 1, 'exactly one authenticated conversion POST');
    assert.match(run.stderr, /warning: Starting the conversion of samples\/multiarch@sha256:[a-f0-9]{64} failed \(NETWORK/);
    const shown = await cli('operation', 'show', ...R, '-t', 'samples/multiarch:1.0', '-o', 'json');
    assert.equal(json<OperationDoc>(shown).id, doc.operation?.id);
  });

  it('signs in with Microsoft Entra through the token exchange (in-process, emulator test token)', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runInProcess(['show', ...R, '--repository', 'samples/auto', '--auth', 'entra', '-o', 'json'], {
      connect,
      stdout: { write: (text) => (stdout += text) },
      stderr: { write: (text) => (stderr += text) },
      env: {},
      loadEntraCredential: async () => ({ getToken: async () => ({ token: emulator.issueEntraTestToken(), expiresOnTimestamp: Date.now() + 3_600_000 }) }),
      commandOnPath: () => false,
    });
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { state: string }).state, 'Active');
  });

  it('--auth entra fails fast when no Azure sign-in exists (DefaultAzureCredential, developer tools only)', async () => {
    // AZURE_TOKEN_CREDENTIALS=dev keeps DefaultAzureCredential to az/azd/pwsh/VS Code: no
    // managed-identity probe leaves this machine. None of those tools is signed in here.
    const run = await runCli(['show', ...R, '--repository', 'samples/hello', '--auth', 'entra'], {
      AZURE_TOKEN_CREDENTIALS: 'dev',
      HOME: mkdtempSync(join(tmpdir(), 'cli-home-')),
    });
    assert.equal(run.code, 1, said(run));
    assert.match(run.stderr, /error: Microsoft Entra sign-in failed/);
    assert.match(run.stderr, /hint: .*az login/);
    assert.ok(run.ms < 30_000, `took ${run.ms} ms`);
  });
});
