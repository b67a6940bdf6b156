/**
 * Fault rows for secrets (hardening items 5–7): credentials only to the registry's origin, no
 * signature or token in a verbose log, no password or 100,000 characters echoed back, and a
 * reader that closes the pipe early ends the CLI quietly.
 */
import * as assert from 'node:assert/strict';
import { StderrChannel } from '../../../../src/cli/stderrChannel';
import { cliLogger } from '../../../../src/cli/cliLogger';
import { connect } from '../../../../src/core/connect';
import { AcrStreamingError } from '../../../../src/core/errors';
import type { Logger } from '../../../../src/core/logger';
import { MEDIA_TYPES } from '../../../../src/core/mediaTypes';
import { parseRegistry } from '../../../../src/core/reference';
import { fakeJwt, json, startScriptedServer, type ScriptedServer } from '../../../unit/core/support/scriptedServer';
import { harness } from '../../../unit/cli/cliHarness';
import { ensureBuilt } from '../../cli/cliProcess';
import { runWithClosedStdout } from '../../cli/closedPipe';
import type { FaultRow } from '../faultRow';

const CONFIG_DIGEST = `sha256:${'c'.repeat(64)}`;
const SAS_SIGNATURE = 'S3cretSasSignature';
const PASSWORD = 'hunter2-secret';
const fast = { maxRetries: 2, retryDelayMs: 5, timeoutMs: 3000 };

interface Servers {
  registry: ScriptedServer;
  storage: ScriptedServer;
  /** Tokens the registry issued. */
  issued: string[];
  close(): Promise<void>;
}

/**
 * A registry that wants a bearer token (issued for admin/PASSWORD), serves an image manifest and
 * redirects its config blob to `storage` under a registry-looking path with a SAS query. The
 * storage answers 500 once, so the retry policy repeats the redirected request.
 */
async function redirectingRegistry(): Promise<Servers> {
  const registry = await startScriptedServer();
  const storage = await startScriptedServer();
  const issued: string[] = [];
  const basic = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  registry.handle((req, res) => {
    if (req.path.startsWith('/oauth2/token')) {
      if (req.headers.authorization !== basic) {
        return json(res, 401, {});
      }
      issued.push(fakeJwt(Math.floor(Date.now() / 1000) + 3600, { n: issued.length }));
      return json(res, 200, { access_token: issued[issued.length - 1] });
    }
    if (!issued.some((t) => req.headers.authorization === `Bearer ${t}`)) {
      return json(res, 401, {}, { 'www-authenticate': `Bearer realm="${registry.baseUrl}/oauth2/token",service="reg",scope="repository:samples/hello:pull"` });
    }
    if (req.path === '/v2/samples/hello/manifests/1.0') {
      return json(res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: { mediaType: MEDIA_TYPES.ociImageConfig, digest: CONFIG_DIGEST, size: 2 }, layers: [] }, { 'content-type': MEDIA_TYPES.ociManifest });
    }
    if (req.path.startsWith('/acr/v1/samples/hello/_manifests/')) {
      return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    }
    if (req.path === `/v2/samples/hello/blobs/${CONFIG_DIGEST}`) {
      res.writeHead(307, { location: `${storage.baseUrl}/v2/samples/hello/blobs/${CONFIG_DIGEST}?se=2030-01-01&sp=r&sig=${SAS_SIGNATURE}%3D` });
      return res.end();
    }
    return json(res, 404, {});
  });
  let storageCalls = 0;
  storage.handle((_req, res) => (++storageCalls === 1 ? json(res, 500, {}) : json(res, 200, { os: 'linux', architecture: 'amd64' })));
  return {
    registry,
    storage,
    issued,
    close: async () => {
      await registry.close();
      await storage.close();
    },
  };
}

/** Reads the image's manifest (and so its redirected config blob) the way every caller does. */
async function readImage(servers: Servers, logger?: Logger): Promise<void> {
  const conn = connect(parseRegistry(servers.registry.baseUrl), { kind: 'basic', username: 'admin', password: PASSWORD }, { ...fast, logger });
  const manifest = await conn.registry.getManifest('samples/hello', '1.0');
  assert.deepEqual(manifest.platform, { os: 'linux', architecture: 'amd64', variant: undefined }, 'the config blob was read through the redirect');
}

/** Separate runs of `char` at least 20 long: one per echo of a long input. */
function echoes(text: string, char: string): number {
  return text.match(new RegExp(`${char}{20,}`, 'g'))?.length ?? 0;
}

export const rows: FaultRow[] = [
  {
    fault: 'the registry redirects a blob GET to another host under a /v2/<repo>/blobs/… path; that host fails once',
    item: 5,
    expected: 'the other host never sees Authorization, on the first request or the retry; the registry does',
    boundMs: 15_000,
    async run() {
      const servers = await redirectingRegistry();
      try {
        await readImage(servers);
        assert.equal(servers.storage.seen.length, 2, 'the storage 500 was retried');
        for (const seen of servers.storage.seen) {
          assert.equal(seen.headers.authorization, undefined, `storage got ${seen.headers.authorization}`);
        }
        assert.ok(servers.registry.seen.some((r) => r.headers.authorization?.startsWith('Bearer ')), 'the registry got its token');
      } finally {
        await servers.close();
      }
    },
  },
  {
    fault: "a 401 challenge whose realm is on another origin",
    item: 5,
    expected: 'UNAUTHORIZED naming the other host; nothing, credentials least of all, is sent there',
    boundMs: 15_000,
    async run() {
      const registry = await startScriptedServer();
      const other = await startScriptedServer();
      try {
        registry.handle((_req, res) => json(res, 401, {}, { 'www-authenticate': `Bearer realm="${other.baseUrl}/oauth2/token",service="reg"` }));
        other.handle((_req, res) => json(res, 200, { access_token: 'stolen' }));
        const conn = connect(parseRegistry(registry.baseUrl), { kind: 'basic', username: 'admin', password: PASSWORD }, fast);
        await assert.rejects(conn.streaming.getRepositoryState('samples/hello'), (e: unknown) => {
          assert.ok(e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED', String(e));
          assert.match(e.message, new RegExp(`another host \\(${new URL(other.baseUrl).host.replace(/\./g, '\\.')}\\)`));
          return true;
        });
        assert.equal(other.seen.length, 0, 'the other origin was never contacted');
        assert.ok(registry.seen.every((r) => r.headers.authorization === undefined));
      } finally {
        await registry.close();
        await other.close();
      }
    },
  },
  {
    fault: 'a verbose CLI log of a request redirected to storage with a SAS signature',
    item: 6,
    expected: 'the storage requests are logged with sig=<redacted>; no signature, token or password in the log',
    boundMs: 15_000,
    async run() {
      const servers = await redirectingRegistry();
      try {
        let stderr = '';
        const channel = new StderrChannel({ write: (text) => void (stderr += text) });
        await readImage(servers, cliLogger(channel, true));
        assert.match(stderr, new RegExp(`${new URL(servers.storage.baseUrl).host.replace(/\./g, '\\.')}.*sig=<redacted>`), stderr);
        assert.ok(!stderr.includes(SAS_SIGNATURE), stderr);
        assert.ok(!stderr.includes(PASSWORD), stderr);
        for (const token of servers.issued) {
          assert.ok(!stderr.includes(token.split('.')[1]), `a token leaked: ${stderr}`);
        }
      } finally {
        await servers.close();
      }
    },
  },
  {
    fault: '--registry ftp://admin:<password>@host (a URL with credentials, refused for its scheme)',
    item: 7,
    expected: 'exit 2; the error names the credentials but never prints the password',
    boundMs: 15_000,
    async run() {
      // In-process: the same program as dist/cli.js, with a connect that fails if it is reached.
      const cli = harness();
      const code = await cli.run('status', '--registry', `ftp://admin:${PASSWORD}@myreg.azurecr.io`, '--image', 'samples/hello:1.0');
      const output = `${cli.stdout.text}${cli.stderr.text}`;
      assert.equal(code, 2, output);
      assert.match(cli.stderr.text, /credentials/, output);
      assert.ok(!output.includes('hunter2'), output);
    },
  },
  {
    fault: 'a 100,000-character --image',
    item: 7,
    expected: 'exit 2; the image is echoed at most once, cut to a readable length',
    boundMs: 15_000,
    async run() {
      const cli = harness();
      const code = await cli.run('status', '--registry', 'http://127.0.0.1:1', '--image', `${'a'.repeat(100_000)}:1`);
      const output = `${cli.stdout.text}${cli.stderr.text}`;
      assert.equal(code, 2, output.slice(0, 2_000));
      assert.ok(echoes(output, 'a') <= 1, output.slice(0, 2_000));
      assert.ok(output.length < 1_000, `${output.length} characters of output`);
    },
  },
  {
    fault: '`acr-streaming --help | head`: the reader closes the pipe before the help is written',
    item: 7,
    expected: 'exit 0, nothing on stderr (no EPIPE stack trace)',
    boundMs: 15_000,
    prepare: ensureBuilt,
    async run() {
      const run = await runWithClosedStdout(['--help'], 15_000);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
    },
  },
];
