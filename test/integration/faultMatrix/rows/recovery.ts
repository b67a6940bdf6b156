/**
 * Faults the core already recovered from before the hardening issue (item 0, the baseline):
 * transient server errors, dropped connections, an expired token, a lost conversion reply, a
 * registry too slow to answer. Each row drives the real core (`connect`) against a scripted
 * server or the emulator with a fault rule, and checks the result and what reached the server.
 */
import * as assert from 'node:assert/strict';
import { AcrAuthenticator } from '../../../../src/core/auth/acrAuthPolicy';
import { connect } from '../../../../src/core/connect';
import type { ConnectOptions } from '../../../../src/core/connection';
import { createStreamingArtifact } from '../../../../src/core/createStreamingArtifact';
import { AcrStreamingError } from '../../../../src/core/errors';
import { HttpTransport, type TransportOptions } from '../../../../src/core/http/transport';
import type { Logger } from '../../../../src/core/logger';
import { parseImageReference, parseRegistry } from '../../../../src/core/reference';
import { StreamingClient } from '../../../../src/core/streamingClient';
import { json, startScriptedServer } from '../../../unit/core/support/scriptedServer';
import { pushImage, type Pushed } from '../../emulator/support/registryPush';
import type { FaultRow } from '../faultRow';
import { countRequests, hits, matrixEmulator, type MatrixEmulator } from '../support/matrixEmulator';

const REPO = 'matrix/recovery';
/** Two retries 20 ms apart: a fault that outlasts them shows up fast. */
const FAST: ConnectOptions = { maxRetries: 2, retryDelayMs: 20, timeoutMs: 5_000 };
const STREAMING_STATE = `^GET /acr/v1/${REPO}/_streaming$`;

/** Log lines of the core, to see which requests went on the wire (retries and token requests included). */
function recordingLogger(lines: string[]): Logger {
  const push = (line: string): void => {
    lines.push(line);
  };
  return { trace: push, debug: push, info: push, warn: push, error: push };
}

function basicTo(emulator: MatrixEmulator): { kind: 'basic'; username: string; password: string } {
  return { kind: 'basic', username: emulator.username, password: emulator.password };
}

const images = new WeakMap<MatrixEmulator, Promise<Pushed>>();

/** The row's image, pushed once per emulator. */
function image(emulator: MatrixEmulator): Promise<Pushed> {
  let pushed = images.get(emulator);
  if (!pushed) {
    pushed = pushImage(emulator, REPO, 'v1', { layerSizes: [2_000] });
    images.set(emulator, pushed);
  }
  return pushed;
}

async function elapsed<T>(work: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    return { value: await work, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

export const rows: FaultRow[] = [
  {
    item: 0,
    fault: '500, then 200, on a GET (scripted server)',
    expected: 'recovered with the 200 reply\'s result, after 2 requests',
    boundMs: 5_000,
    async run() {
      const server = await startScriptedServer();
      try {
        server.handle((_request, res) =>
          server.seen.length === 1 ? json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'internal error' }] }) : json(res, 200, { convertPushedImages: true }),
        );
        const state = await connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, FAST).streaming.getRepositoryState(REPO);
        assert.equal(state.convertPushedImages, true);
        assert.equal(server.seen.length, 2);
      } finally {
        await server.close();
      }
    },
  },
  {
    item: 0,
    fault: 'connection dropped before any reply on a GET (scripted server)',
    expected: 'retried once, recovered with the result',
    boundMs: 5_000,
    async run() {
      const server = await startScriptedServer();
      try {
        server.handle((_request, res) => (server.seen.length === 1 ? res.socket?.destroy() : json(res, 200, { convertPushedImages: false })));
        const state = await connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, FAST).streaming.getRepositoryState(REPO);
        assert.equal(state.convertPushedImages, false);
        assert.equal(server.seen.length, 2);
      } finally {
        await server.close();
      }
    },
  },
  {
    item: 0,
    fault: '401 invalid_token: a cached token the registry has expired (token-expiry rule; client clock 2 min slow)',
    expected: 'one new token, the request recovered',
    boundMs: 10_000,
    async run() {
      const emulator = await matrixEmulator();
      await image(emulator);
      // The core drops a token a minute before its expiry, so with a true clock it never sends an
      // expired one. A clock 2 minutes slow keeps a 1-second token cached past its real expiry.
      const slowClock = (): number => Date.now() - 120_000;
      const lines: string[] = [];
      const transport: TransportOptions = { timeoutMs: 5_000, maxRetries: 2, retryDelayMs: 20, logger: recordingLogger(lines), userAgent: 'fault-matrix' };
      // connect() with the slow clock: the same transport, authenticator and client it builds.
      const endpoint = parseRegistry(emulator.url);
      const authenticator = new AcrAuthenticator(endpoint, basicTo(emulator), HttpTransport.tokenSender(transport), transport.logger, slowClock);
      const streaming = new StreamingClient(endpoint, new HttpTransport(endpoint, transport, authenticator.policy()));
      emulator.setFaults([{ kind: 'token-expiry', tokenLifetimeSeconds: 1, times: 1 }]);

      assert.equal((await streaming.getRepositoryState(REPO)).repository, REPO);
      // The token's `exp` is in whole seconds, at most one after it was issued: wait until it has passed.
      const expired = (Math.floor(Date.now() / 1000) + 1) * 1000 + 50;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expired - Date.now())));

      lines.length = 0;
      assert.equal((await streaming.getRepositoryState(REPO)).repository, REPO);
      const wire = lines.filter((line) => / → /.test(line));
      assert.equal(wire.filter((line) => /\/oauth2\/token/.test(line)).length, 1, `one new token:\n${wire.join('\n')}`);
      assert.equal(wire.filter((line) => /_streaming → 401/.test(line)).length, 1, `one refusal of the expired token:\n${wire.join('\n')}`);
      assert.equal(wire.filter((line) => /_streaming → 200/.test(line)).length, 1);
    },
  },
  {
    item: 0,
    fault: 'connection dropped after the registry started the conversion (drop afterHandling on the POST)',
    expected: 'the existing operation reused, exactly one conversion POST at the registry',
    boundMs: 15_000,
    async run() {
      const emulator = await matrixEmulator();
      const pushed = await image(emulator);
      const conn = connect(parseRegistry(emulator.url), basicTo(emulator), FAST);
      // A push token first, so the fault hits the authenticated POST and not its 401 challenge.
      await conn.streaming.setAutoConversion(REPO, false);
      // Slow, so the conversion is still under way when the core looks for it.
      emulator.setConversionSpeed(1_000);
      const post = `^POST /acr/v1/${REPO}/_streaming/sha256:`;
      emulator.setFaults([{ match: post, kind: 'drop', afterHandling: true, times: 1 }, countRequests(post)]);
      try {
        const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference(`${REPO}@${pushed.digest}`), { retryDelayMs: 50 });
        assert.equal(outcome.kind, 'reused');
        const last = await conn.streaming.getLastOperation(REPO, pushed.digest);
        assert.equal(outcome.kind === 'reused' && outcome.operation.id, last?.id);
        assert.deepEqual(await hits(emulator), [1, 1], 'the drop fired, and one POST reached the registry');
      } finally {
        const last = await conn.streaming.getLastOperation(REPO, pushed.digest);
        if (last && (last.status === 'NotStarted' || last.status === 'Running')) {
          await conn.streaming.cancelOperation(REPO, last.id);
        }
      }
    },
  },
  {
    item: 0,
    fault: 'a GET slower than the transport\'s timeout (latency rule 3 s, timeout 300 ms)',
    expected: 'TIMEOUT naming the registry, after 1 try and 2 retries, within 3 s',
    boundMs: 10_000,
    async run() {
      const emulator = await matrixEmulator();
      await image(emulator);
      const conn = connect(parseRegistry(emulator.url), basicTo(emulator), { ...FAST, timeoutMs: 300 });
      // A token first, so the slow request is the GET itself and not its challenge.
      await conn.streaming.getRepositoryState(REPO);
      emulator.setFaults([{ match: STREAMING_STATE, kind: 'latency', latencyMs: 3_000, times: 3 }]);
      const { error, ms } = await elapsed(conn.streaming.getRepositoryState(REPO));
      assert.ok(error instanceof AcrStreamingError, `an AcrStreamingError, not ${String(error)}`);
      assert.equal(error.code, 'TIMEOUT');
      assert.match(error.message, new RegExp(emulator.loginServer.replace(/\./g, '\\.')));
      assert.deepEqual(await hits(emulator), [3], 'one try and two retries reached the registry');
      assert.ok(ms < 3_000, `failed after ${Math.round(ms)} ms`);
    },
  },
  {
    item: 0,
    fault: '502 on every attempt of a GET (status rule)',
    expected: 'SERVER_ERROR with status 502 after 1 try and 2 retries, within 3 s',
    boundMs: 10_000,
    async run() {
      const emulator = await matrixEmulator();
      await image(emulator);
      const conn = connect(parseRegistry(emulator.url), basicTo(emulator), FAST);
      await conn.streaming.getRepositoryState(REPO);
      emulator.setFaults([{ match: STREAMING_STATE, kind: 'status', status: 502 }, countRequests(STREAMING_STATE)]);
      const { error, ms } = await elapsed(conn.streaming.getRepositoryState(REPO));
      assert.ok(error instanceof AcrStreamingError, `an AcrStreamingError, not ${String(error)}`);
      assert.equal(error.code, 'SERVER_ERROR');
      assert.equal(error.status, 502);
      assert.equal((await hits(emulator))[1], 3, 'one try and two retries reached the registry');
      assert.ok(ms < 3_000, `failed after ${Math.round(ms)} ms`);
    },
  },
];
