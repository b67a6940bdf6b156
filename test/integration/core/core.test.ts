/**
 * The core against the emulator on the real docker-registry: listing through the Azure SDK and
 * our own calls, badges, the whole conversion life cycle, auth kinds, and faults.
 */
import * as assert from 'node:assert/strict';
import { createStreamingArtifact } from '../../../src/core/createStreamingArtifact';
import { connect } from '../../../src/core/connect';
import type { RegistryConnection } from '../../../src/core/connection';
import { AcrStreamingError } from '../../../src/core/errors';
import { loadBadge } from '../../../src/core/badge';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { parseImageReference, parseRegistry } from '../../../src/core/reference';
import { OperationTracker, type TrackedOperation } from '../../../src/core/tracker';
import type { EmulatorHandle } from '../../../emulator';
import { startTestEmulator } from '../emulator/support/emulatorFixture';
import { pushImage } from '../emulator/support/registryPush';

const fast = { maxRetries: 3, retryDelayMs: 20, timeoutMs: 10_000 };

describe('core against the emulator', function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  let conn: RegistryConnection;

  before(async () => {
    emulator = await startTestEmulator({ seed: true, conversionBytesPerSecond: 0, tokens: [{ username: 'hello-reader', password: 'reader-pass', scopes: ['repository:samples/hello:pull'] }] });
    conn = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast);
  });
  after(() => emulator?.stop());
  afterEach(() => {
    emulator.clearFaults();
    emulator.setConversionSpeed(0);
  });

  async function waitUntilFinished(repository: string, id: string): Promise<TrackedOperation> {
    const tracker = new OperationTracker({ resolveStreaming: () => conn.streaming, policy: { initialDelayMs: 100, maxDelayMs: 300 } });
    try {
      const op = await conn.streaming.getOperation(repository, id);
      tracker.track(emulator.loginServer, op);
      return await new Promise<TrackedOperation>((resolve) => {
        const check = () => {
          const tracked = tracker.list()[0];
          if (tracked && ['Succeeded', 'Failed', 'Canceled'].includes(tracked.status)) {
            resolve(tracked);
          }
        };
        tracker.onEvent(check);
        check();
      });
    } finally {
      setImmediate(() => tracker.dispose());
    }
  }

  it('pages through repositories with the Azure SDK client', async () => {
    const names: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await conn.registry.listRepositories({ pageSize: 3, continuation });
      names.push(...page.items);
      continuation = page.continuation;
      pages++;
    } while (continuation);
    assert.ok(pages >= 3, `${pages} pages`);
    for (const repo of ['samples/hello', 'samples/multiarch', 'samples/arm64-only', 'samples/docker-v2', 'samples/signed', 'samples/auto', 'samples/many-tags']) {
      assert.ok(names.includes(repo), `${repo} listed`);
    }
    assert.equal(new Set(names).size, names.length, 'no repository twice');
  });

  it('reads repository properties and walks 1,500 tags newest first', async () => {
    const info = await conn.registry.getRepository('samples/many-tags');
    assert.equal(info.tagCount, 1500);
    const tags: string[] = [];
    const times: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await conn.registry.listTags('samples/many-tags', { pageSize: 400, continuation });
      tags.push(...page.items.map((t) => t.name));
      times.push(...page.items.map((t) => t.lastUpdateTime ?? ''));
      continuation = page.continuation;
    } while (continuation);
    assert.equal(tags.length, 1500);
    assert.equal(new Set(tags).size, 1500);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
  });

  it('computes the badge of each kind of sample', async () => {
    const badge = async (ref: string) => (await loadBadge(conn.registry, conn.streaming, ...split(ref))).badge;
    assert.equal((await badge('samples/hello:1.0')).kind, 'not-converted');
    assert.equal((await badge('samples/docker-v2:1.0')).kind, 'not-converted');
    assert.equal((await badge('samples/multiarch:1.0')).kind, 'not-converted');
    const arm = await badge('samples/arm64-only:1.0');
    assert.equal(arm.kind, 'unsupported');
    assert.equal(arm.kind === 'unsupported' && arm.code, 'NO_SUPPORTED_PLATFORM_FOUND');
    const armImage = await badge('samples/arm64-only:arm64-image');
    assert.equal(armImage.kind === 'unsupported' && armImage.reason, 'platform');
    const signedDigest = await conn.registry.resolveDigest('samples/signed', '1.0');
    const [signature] = await conn.streaming.listReferrers('samples/signed', signedDigest);
    assert.ok(signature, 'the signature is a referrer');
    const sig = await badge(`samples/signed@${signature.digest}`);
    assert.equal(sig.kind === 'unsupported' && sig.reason, 'non-runnable');
  });

  it('refuses an unsupported image before sending any POST', async () => {
    await assert.rejects(
      createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/arm64-only:1.0')),
      (e: unknown) => e instanceof AcrStreamingError && e.code === 'NO_SUPPORTED_PLATFORM_FOUND' && Boolean(e.hint),
    );
    const digest = await conn.registry.resolveDigest('samples/arm64-only', '1.0');
    assert.equal(await conn.streaming.getLastOperation('samples/arm64-only', digest), undefined, 'no operation was started');
  });

  it('converts an image end to end: started → Succeeded → streamed, then create skips', async () => {
    const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/hello:1.1'));
    assert.equal(outcome.kind, 'started');
    assert.ok(outcome.kind === 'started');
    const finished = await waitUntilFinished('samples/hello', outcome.operation.id);
    assert.equal(finished.status, 'Succeeded');
    assert.equal(finished.progress, 100);

    const referrers = await conn.streaming.listReferrers('samples/hello', outcome.digest, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.equal(referrers.length, 1);
    assert.equal(referrers[0].annotations?.['streaming.format'], 'overlaybd');
    assert.equal(referrers[0].annotations?.['streaming.platform.arch'], 'amd64');
    const artifact = await conn.registry.getManifest('samples/hello', referrers[0].digest);
    assert.equal(artifact.artifactType, STREAMING_ARTIFACT_TYPE);
    assert.equal(artifact.subject?.digest, outcome.digest);

    const badge = await loadBadge(conn.registry, conn.streaming, 'samples/hello', '1.1');
    assert.equal(badge.badge.kind, 'streamed');
    const again = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/hello:1.1'));
    assert.equal(again.kind, 'exists');
  });

  it('reuses an ongoing conversion instead of starting a second one', async () => {
    emulator.setConversionSpeed(64 * 1024);
    const first = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/docker-v2:1.0'));
    const second = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/docker-v2:1.0'));
    assert.equal(first.kind, 'started');
    assert.equal(second.kind, 'reused');
    assert.ok(first.kind === 'started' && second.kind === 'reused');
    assert.equal(second.operation.id, first.operation.id);
    await conn.streaming.cancelOperation('samples/docker-v2', first.operation.id);
  });

  it('starts exactly one conversion when the POST reply is lost', async () => {
    emulator.setConversionSpeed(64 * 1024);
    // The emulator handles the authenticated POST for real, then drops the connection.
    // A pull,push token first, so the fault hits the authenticated POST rather than its 401.
    await conn.streaming.setAutoConversion('samples/multiarch', false);
    emulator.setFaults([{ match: '^POST /acr/v1/samples/multiarch/_streaming/sha256', kind: 'drop', afterHandling: true, times: 1 }]);
    const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/multiarch:1.0'), { retryDelayMs: 50 });
    assert.equal(outcome.kind, 'reused', 'the landed POST is found, not repeated');
    const last = await conn.streaming.getLastOperation('samples/multiarch', outcome.digest);
    assert.equal(last?.id, outcome.kind === 'reused' ? outcome.operation.id : undefined);
    await conn.streaming.cancelOperation('samples/multiarch', last!.id);
  });

  it('cancels mid-way; the badge goes back to not converted', async () => {
    emulator.setConversionSpeed(32 * 1024);
    const outcome = await createStreamingArtifact(conn.registry, conn.streaming, parseImageReference('samples/hello:2.0'));
    assert.ok(outcome.kind === 'started');
    const cancelled = await conn.streaming.cancelOperation('samples/hello', outcome.operation.id);
    assert.equal(cancelled.status, 'Canceled');
    const { badge } = await loadBadge(conn.registry, conn.streaming, 'samples/hello', '2.0');
    assert.equal(badge.kind, 'not-converted');
    assert.equal(badge.kind === 'not-converted' && badge.lastOperation?.status, 'Canceled');
  });

  it('starts and stops auto-conversion, and converts a push into an Active repository', async () => {
    assert.equal((await conn.streaming.setAutoConversion('samples/auto', true)).convertPushedImages, true);
    assert.equal((await conn.streaming.getRepositoryState('samples/auto')).convertPushedImages, true);
    const pushed = await pushImage({ url: emulator.url, username: emulator.username, password: emulator.password }, 'samples/auto', 'pushed-now');
    let operation = await conn.streaming.getLastOperation('samples/auto', pushed.digest);
    for (let i = 0; !operation && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      operation = await conn.streaming.getLastOperation('samples/auto', pushed.digest);
    }
    assert.ok(operation, 'the push started a conversion');
    assert.equal((await waitUntilFinished('samples/auto', operation.id)).status, 'Succeeded');
    assert.equal((await conn.streaming.setAutoConversion('samples/auto', false)).convertPushedImages, false);
  });

  it('retries through 503s and a 429 with Retry-After', async () => {
    emulator.setFaults([
      { match: '^GET /acr/v1/samples/hello/_streaming$', kind: 'status', status: 503, times: 2 },
      { match: '^GET /acr/v1/samples/docker-v2/_streaming$', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 },
    ]);
    assert.equal((await conn.streaming.getRepositoryState('samples/hello')).convertPushedImages, false);
    const started = Date.now();
    await conn.streaming.getRepositoryState('samples/docker-v2');
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
  });

  it('gets new tokens when they expire', async () => {
    emulator.setFaults([{ match: '/oauth2/token', kind: 'token-expiry', tokenLifetimeSeconds: 1 }]);
    const short = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast);
    await short.streaming.getRepositoryState('samples/hello');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await short.streaming.getRepositoryState('samples/hello')).repository, 'samples/hello');
  });

  it('signs in with a Microsoft Entra token through the exchange, and refuses an expired one', async () => {
    const entra = (token: string) => connect(parseRegistry(emulator.url), { kind: 'entra', tenantId: emulator.tenantId, credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 60_000 }) } }, fast);
    assert.equal((await entra(emulator.issueEntraTestToken()).streaming.getRepositoryState('samples/hello')).repository, 'samples/hello');
    await assert.rejects(entra(emulator.issueEntraTestToken({ expiresInSeconds: -60 })).streaming.getRepositoryState('samples/hello'), (e: unknown) => e instanceof AcrStreamingError && e.code === 'UNAUTHORIZED');
  });

  it('limits a repository-scoped token to its repository and actions', async () => {
    const reader = connect(parseRegistry(emulator.url), { kind: 'basic', username: 'hello-reader', password: 'reader-pass' }, fast);
    assert.equal((await reader.registry.resolveDigest('samples/hello', '1.0')).startsWith('sha256:'), true);
    await assert.rejects(reader.registry.resolveDigest('samples/docker-v2', '1.0'), (e: unknown) => e instanceof AcrStreamingError && ['UNAUTHORIZED', 'DENIED'].includes(e.code));
    await assert.rejects(reader.streaming.setAutoConversion('samples/hello', true), (e: unknown) => e instanceof AcrStreamingError && ['UNAUTHORIZED', 'DENIED'].includes(e.code));
  });

  it('falls back to the OCI referrers tag on a registry without the referrers API', async () => {
    const raw = connect(parseRegistry(emulator.upstreamUrl), { kind: 'anonymous' }, fast);
    const digest = await conn.registry.resolveDigest('samples/signed', '1.0');
    const referrers = await raw.streaming.listReferrers('samples/signed', digest);
    assert.equal(referrers.length, 1);
    assert.equal(referrers[0].artifactType, 'application/vnd.cncf.notary.signature');
    assert.deepEqual(await raw.streaming.listReferrers('samples/signed', digest, { artifactType: STREAMING_ARTIFACT_TYPE }), []);
  });
});

function split(ref: string): [string, string] {
  const parsed = parseImageReference(ref);
  return [parsed.repository, parsed.digest ?? parsed.tag!];
}
