/**
 * Fault-matrix rows for throttling (issue item 2), connections reset in the middle of a body
 * (item 3) and operations that vanish while watched (item 4). Caps and graces are test-sized
 * through options, so no row sleeps long.
 */
import * as assert from 'node:assert/strict';
import type { FaultRule } from '../../../../emulator/faults/faultRule';
import type { EmulatorHandle } from '../../../../emulator/index';
import { runCli } from '../../../../src/cli/program';
import { connect } from '../../../../src/core/connect';
import type { ConnectOptions } from '../../../../src/core/connection';
import { createStreamingArtifact } from '../../../../src/core/createStreamingArtifact';
import { AcrStreamingError } from '../../../../src/core/errors';
import { isOngoing } from '../../../../src/core/models';
import { parseImageReference, parseRegistry } from '../../../../src/core/reference';
import { OperationTracker, type TrackedOperation } from '../../../../src/core/tracker';
import { json, startScriptedServer, type ScriptedServer } from '../../../unit/core/support/scriptedServer';
import { startTestEmulator } from '../../emulator/support/emulatorFixture';
import { pushImage } from '../../emulator/support/registryPush';
import type { FaultRow } from '../faultRow';

const REPO = 'faults/app';
const fast: ConnectOptions = { maxRetries: 3, retryDelayMs: 20, timeoutMs: 5_000, maxRetryAfterMs: 2_000 };
const BUSY = { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests, please retry later' }] };

async function withScriptedServer(body: (server: ScriptedServer) => Promise<void>): Promise<void> {
  const server = await startScriptedServer();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** An emulator with one convertible image, `faults/app:1.0`. */
async function withEmulator(body: (emulator: EmulatorHandle) => Promise<void>): Promise<void> {
  const emulator = await startTestEmulator({ conversionBytesPerSecond: 0 });
  try {
    await pushImage({ url: emulator.url, username: emulator.username, password: emulator.password }, REPO, '1.0');
    await body(emulator);
  } finally {
    await emulator.stop();
  }
}

function connectTo(emulator: EmulatorHandle) {
  return connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast);
}

/** A latency rule of 0 ms that counts the requests it matches (`GET /_emulator/faults` tells how many are left). */
const COUNT = 1_000;
const counting = (match: string): FaultRule => ({ kind: 'latency', latencyMs: 0, times: COUNT, match });
async function counted(emulator: EmulatorHandle, index: number): Promise<number> {
  const reply = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ remaining: number }> };
  return COUNT - reply.rules[index].remaining;
}

/** A repository-state read through a scripted server whose first answer is `first`. */
async function readAfter(first: (res: Parameters<Parameters<ScriptedServer['handle']>[0]>[1]) => void): Promise<{ elapsedMs: number; requests: number }> {
  let result = { elapsedMs: 0, requests: 0 };
  await withScriptedServer(async (server) => {
    let n = 0;
    server.handle((_req, res) => (++n === 1 ? first(res) : json(res, 200, { convertPushedImages: true })));
    const started = Date.now();
    const state = await connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).streaming.getRepositoryState('a');
    assert.equal(state.convertPushedImages, true);
    result = { elapsedMs: Date.now() - started, requests: server.seen.length };
  });
  return result;
}

export const rows: FaultRow[] = [
  {
    fault: '429 with Retry-After: 1 (within the cap)',
    item: 2,
    expected: 'waits about 1 s, retries once, and the read succeeds',
    boundMs: 5_000,
    run: async () => {
      const { elapsedMs, requests } = await readAfter((res) => json(res, 429, BUSY, { 'retry-after': '1' }));
      assert.equal(requests, 2);
      assert.ok(elapsedMs >= 900, `retried after ${elapsedMs} ms, before the Retry-After`);
    },
  },
  {
    fault: '429 with Retry-After: 3600 (beyond the cap)',
    item: 2,
    expected: 'TOO_MANY_REQUESTS at once: "throttled … retry after 60 min", retryAfterMs 3 600 000, one request',
    boundMs: 3_000,
    run: () =>
      withScriptedServer(async (server) => {
        server.handle((_req, res) => json(res, 429, BUSY, { 'retry-after': '3600' }));
        const started = Date.now();
        await assert.rejects(connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).streaming.getRepositoryState('a'), (error: unknown) => {
          assert.ok(error instanceof AcrStreamingError);
          assert.equal(error.code, 'TOO_MANY_REQUESTS');
          assert.equal(error.retryAfterMs, 3_600_000);
          assert.match(error.message, /throttled .*retry after 60 min/);
          return true;
        });
        assert.ok(Date.now() - started < 2_000, 'the hour was not slept');
        assert.equal(server.seen.length, 1);
      }),
  },
  {
    fault: '503 with Retry-After: 1',
    item: 2,
    expected: 'waits about 1 s, retries once, and the read succeeds',
    boundMs: 5_000,
    run: async () => {
      const { elapsedMs, requests } = await readAfter((res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] }, { 'retry-after': '1' }));
      assert.equal(requests, 2);
      assert.ok(elapsedMs >= 900, `retried after ${elapsedMs} ms, before the Retry-After`);
    },
  },
  {
    fault: 'GET reply reset in the middle of its body (emulator reset-mid-body)',
    item: 3,
    expected: 'retried like a dropped connection; the read succeeds after two GETs',
    boundMs: 15_000,
    run: () =>
      withEmulator(async (emulator) => {
        const conn = connectTo(emulator);
        await conn.streaming.getRepositoryState(REPO); // sign in first, so the fault hits the authenticated GET
        const read = `^GET /acr/v1/${REPO}/_streaming$`;
        emulator.setFaults([counting(read), { match: read, kind: 'reset-mid-body', times: 1 }]);
        const state = await conn.streaming.getRepositoryState(REPO);
        assert.equal(state.convertPushedImages, false);
        assert.equal(await counted(emulator, 0), 2, 'the broken read and its retry');
      }),
  },
  {
    fault: 'conversion POST reply reset in the middle of its body',
    item: 3,
    expected: 'the POST is not repeated: the landed conversion is found and reused; one POST, one operation',
    boundMs: 15_000,
    run: () =>
      withEmulator(async (emulator) => {
        emulator.setConversionSpeed(16 * 1024);
        const conn = connectTo(emulator);
        // A pull,push token first, so that the fault hits the authenticated POST, not its 401.
        await conn.streaming.setAutoConversion(REPO, false);
        const post = `^POST /acr/v1/${REPO}/_streaming/sha256`;
        emulator.setFaults([counting(post), { match: post, kind: 'reset-mid-body', times: 1 }]);
        const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference(`${REPO}:1.0`), { retryDelayMs: 50 });
        assert.equal(outcome.kind, 'reused', 'the landed POST is found, not repeated');
        assert.equal(await counted(emulator, 0), 1, 'exactly one conversion POST');
        const last = await conn.streaming.getLastOperation(REPO, outcome.digest);
        assert.equal(last?.id, outcome.kind === 'reused' ? outcome.operation.id : undefined);
      }),
  },
  {
    fault: 'the operation vanishes (status answers 404) while `create` waits without --timeout',
    item: 4,
    expected: 'exit 1 after the grace, NOT_FOUND with the `operation show` hint',
    boundMs: 15_000,
    run: () =>
      withEmulator(async (emulator) => {
        emulator.setConversionSpeed(1024);
        emulator.setFaults([{ match: `^GET /acr/v1/${REPO}/_operations/`, kind: 'status', status: 404 }]);
        let stderr = '';
        const code = await runCli(['create', '--registry', emulator.url, '-t', `${REPO}:1.0`, '-u', emulator.username, '-p', emulator.password], {
          connect,
          connectOptions: fast,
          stdout: { write: () => undefined },
          stderr: { write: (text) => (stderr += text) },
          env: {},
          loadEntraCredential: () => Promise.reject(new Error('not used')),
          commandOnPath: () => false,
          pollPolicy: { initialDelayMs: 50, maxDelayMs: 200, unknownAfterMs: 1_000 },
        });
        assert.equal(code, 1, stderr);
        assert.match(stderr, /error: Stopped waiting for operation \S+ of faults\/app:1\.0: \S+ no longer knows it/);
        assert.match(stderr, /hint: .*Look again with: acr-streaming operation show --registry \S+ --repository faults\/app --id \S+/);
      }),
  },
  {
    fault: 'a tracked operation vanishes (status answers 404), after 5xx faults that must not lose it',
    item: 4,
    expected: 'kept through the 503s; Unknown after the grace of 404s, no longer polled nor running',
    boundMs: 15_000,
    run: () =>
      withEmulator(async (emulator) => {
        emulator.setConversionSpeed(1024);
        const conn = connectTo(emulator);
        const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference(`${REPO}:1.0`));
        assert.ok(outcome.kind === 'started');
        const status = `^GET /acr/v1/${REPO}/_operations/`;
        emulator.setFaults([{ match: status, kind: 'status', status: 503, times: 6 }]); // each poll retries 503s: 2 polls fail
        const tracker = new OperationTracker({ resolveStreaming: () => conn.streaming, policy: { initialDelayMs: 50, maxDelayMs: 200, unknownAfterMs: 800 } });
        try {
          const tracked = tracker.track(emulator.loginServer, outcome.operation, { image: `${REPO}:1.0` });
          const until = (done: (op: TrackedOperation) => boolean) =>
            new Promise<TrackedOperation>((resolve) => {
              const check = () => {
                const op = tracker.get(tracked.key);
                if (op && done(op)) {
                  resolve(op);
                }
              };
              tracker.onEvent(check);
              check();
            });
          const failed = await until((op) => op.lastError?.code === 'SERVER_ERROR');
          assert.ok(isOngoing(failed.status), 'a 5xx is recorded, the operation kept');
          // Only once the six 503s are used up can a poll succeed.
          const afterFaults = await until((op) => op.lastError === undefined);
          assert.ok(isOngoing(afterFaults.status), 'the 5xx faults did not lose it');
          emulator.setFaults([{ match: status, kind: 'status', status: 404 }]);
          const unknown = await until((op) => op.status === 'Unknown');
          assert.equal(unknown.lastError?.code, 'NOT_FOUND');
          assert.equal(tracker.running().length, 0);
          assert.equal(tracker.list().length, 1, 'kept, for the user to look again');
        } finally {
          tracker.dispose();
        }
      }),
  },
];
