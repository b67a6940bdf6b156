/**
 * The core against real recorded ACR traffic (Azure CLI's artifact-streaming recording): the
 * requests it sends must be the ones ACR accepted, and it must read ACR's real replies.
 */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { connect } from '../../src/core/connect';
import type { RegistryConnection } from '../../src/core/connection';
import { AcrStreamingError } from '../../src/core/errors';
import { parseRegistry } from '../../src/core/reference';
import { startReplayServer, type ReplayServer } from './support/replayServer';

const REPO = 'microsoft';
const DIGEST = 'sha256:622731d3e3a16b11a1f318b1c5018d0c44996b4c096b864fe2eac5b8beab535a';
const OPERATION_ID = '7dfcc117-d980-4c19-8817-3171e14186ca';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Stands in for Microsoft Entra sign-in, which cannot run here. */
class RecordedShapeCredential implements TokenCredential {
  calls = 0;
  async getToken(): Promise<AccessToken> {
    this.calls++;
    return { token: 'entra-test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('contract: recorded ACR artifact-streaming traffic', () => {
  let server: ReplayServer;
  let connection: RegistryConnection;
  let credential: RecordedShapeCredential;

  beforeEach(async () => {
    server = await startReplayServer();
    credential = new RecordedShapeCredential();
    connection = connect(parseRegistry(server.baseUrl), { kind: 'entra', credential, tenantId: TENANT }, { maxRetries: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers the 401 challenge with the recorded exchange and token requests', async () => {
    const state = await connection.streaming.getRepositoryState(REPO);
    assert.equal(state.convertPushedImages, false);

    const exchange = server.received.find((r) => r.path === '/oauth2/exchange');
    assert.ok(exchange, 'an /oauth2/exchange request was sent');
    assert.equal(exchange.contentType, 'application/x-www-form-urlencoded');
    const exchangeForm = new URLSearchParams(exchange.body);
    const recordedExchange = new URLSearchParams(String(server.recording.interactions.find((i) => i.request.path === '/oauth2/exchange')!.request.body));
    assert.deepEqual([...exchangeForm.keys()].sort(), [...recordedExchange.keys()].sort());
    assert.equal(exchangeForm.get('grant_type'), 'access_token');
    assert.equal(exchangeForm.get('service'), server.loginServer);
    assert.equal(exchangeForm.get('tenant'), TENANT);
    assert.equal(exchangeForm.get('access_token'), 'entra-test-token');

    const token = server.received.find((r) => r.path === '/oauth2/token');
    assert.ok(token);
    const tokenForm = new URLSearchParams(token.body);
    assert.equal(tokenForm.get('grant_type'), 'refresh_token');
    assert.equal(tokenForm.get('scope'), 'repository:microsoft:pull');
    assert.equal(tokenForm.get('refresh_token'), '<redacted>');

    const last = server.received.at(-1)!;
    assert.equal(last.path, '/acr/v1/microsoft/_streaming');
    assert.equal(last.authorization, 'Bearer <redacted>');
  });

  it('reuses the cached tokens: one exchange for several calls of one scope', async () => {
    await connection.streaming.getRepositoryState(REPO);
    await connection.streaming.getRepositoryState(REPO);
    assert.equal(server.received.filter((r) => r.path === '/oauth2/exchange').length, 1);
    assert.equal(credential.calls, 1);
  });

  it('starts auto-conversion with the recorded body and reads the 202 reply', async () => {
    const state = await connection.streaming.setAutoConversion(REPO, true);
    assert.equal(state.convertPushedImages, true);
    assert.equal(state.conversionFormat, 'overlaybd');
    const post = server.received.find((r) => r.method === 'POST' && r.path === '/acr/v1/microsoft/_streaming')!;
    assert.deepEqual(JSON.parse(post.body), { convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    const scope = new URLSearchParams(server.received.find((r) => r.path === '/oauth2/token')!.body).get('scope');
    assert.equal(scope, 'repository:microsoft:pull,push');
  });

  it('follows the create steps of az: tag → referrers → last operation (404) → POST', async () => {
    assert.equal(await connection.registry.resolveDigest(REPO, 'azure-cli'), DIGEST);
    assert.deepEqual(await connection.streaming.listReferrers(REPO, DIGEST, { artifactType: 'application/vnd.azure.artifact.streaming.v1' }), []);
    assert.equal(await connection.streaming.getLastOperation(REPO, DIGEST), undefined);
    const operation = await connection.streaming.startConversion(REPO, DIGEST);
    assert.equal(operation.id, OPERATION_ID);
    assert.equal(operation.status, 'NotStarted');
    assert.equal(operation.digest, DIGEST);
    const post = server.received.find((r) => r.method === 'POST' && r.path === `/acr/v1/microsoft/_streaming/${DIGEST}`)!;
    assert.deepEqual(JSON.parse(post.body), { conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    const referrers = server.received.find((r) => r.path.startsWith('/v2/microsoft/referrers/'))!;
    assert.equal(referrers.path, `/v2/microsoft/referrers/${DIGEST}?artifactType=application%2Fvnd.azure.artifact.streaming.v1`);
  });

  it('reads the running operation, cancels it with :cancel, and shows it Canceled', async () => {
    // The recorded 404 comes first for this path; consume it as az did during create.
    assert.equal(await connection.streaming.getLastOperation(REPO, DIGEST), undefined);
    const running = await connection.streaming.getLastOperation(REPO, DIGEST);
    assert.ok(running);
    assert.equal(running.id, OPERATION_ID);
    assert.equal(running.repository, REPO);
    assert.equal(running.digest, DIGEST);

    const cancelled = await connection.streaming.cancelOperation(REPO, OPERATION_ID);
    assert.equal(cancelled.status, 'Canceled');
    assert.equal(cancelled.progress, 0);
    const cancel = server.received.find((r) => r.path.endsWith(':cancel'))!;
    assert.equal(cancel.method, 'POST');
    assert.equal(cancel.path, `/acr/v1/microsoft/_operations/${OPERATION_ID}:cancel`);
    assert.equal(cancel.body, '');

    const shown = await connection.streaming.getOperation(REPO, OPERATION_ID);
    assert.equal(shown.status, 'Canceled');
    assert.equal(shown.name, 'ArtifactStreamingConversion');
    assert.equal(shown.startTime, '2025-04-28T03:54:17Z');
    assert.equal(shown.digest, DIGEST);
  });

  it('fails with a typed NOT_FOUND error, carrying the status, for an operation the registry does not know', async () => {
    await assert.rejects(connection.streaming.getOperation(REPO, '00000000-0000-0000-0000-000000000000'), (error: unknown) => {
      assert.ok(error instanceof AcrStreamingError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'NOT_FOUND');
      assert.ok(error.hint);
      return true;
    });
  });

  it('keeps tokens out of the fixture', () => {
    const text = JSON.stringify(server.recording);
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{20,}/);
    for (const interaction of server.recording.interactions) {
      const body = interaction.request.body ?? '';
      for (const field of ['access_token', 'refresh_token', 'password']) {
        const value = new URLSearchParams(body).get(field);
        if (value !== null) {
          assert.equal(value, '<redacted>', `${field} in ${interaction.request.path}`);
        }
      }
    }
  });
});
