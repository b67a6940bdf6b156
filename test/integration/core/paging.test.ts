/**
 * The core against the emulator's paging faults: a registry (or Azure Resource Manager) whose
 * next-page link repeats, cycles or points elsewhere, and a registry that ignores
 * `?artifactType=`. Every listing ends with a clear error naming the host, or with the right
 * entries, never in a loop.
 */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createAzureResourceClient } from '../../../src/core/azure/azureResourceClient';
import { parseCustomCloud } from '../../../src/core/azure/clouds';
import { connect } from '../../../src/core/connect';
import type { RegistryConnection } from '../../../src/core/connection';
import { listAllTags } from '../../../src/core/listAllTags';
import { isPagingError, type PagingFault } from '../../../src/core/paging';
import { parseRegistry } from '../../../src/core/reference';
import type { EmulatorHandle } from '../../../emulator';
import { call } from '../emulator/support/acrCalls';
import { startTestEmulator } from '../emulator/support/emulatorFixture';
import { pushImage, pushSignature, type Pushed } from '../emulator/support/registryPush';

const fast = { maxRetries: 1, retryDelayMs: 20, timeoutMs: 10_000 };
const REPO = 'paging/app';
const SIGNATURE = 'application/vnd.cncf.notary.signature';
const SBOM = 'application/vnd.example.sbom';

describe('core against the emulator\'s paging faults', function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  let conn: RegistryConnection;
  let subject: Pushed;
  let signature: Pushed;

  const pagingError = (fault: PagingFault, host: string, what: string) => (e: unknown) =>
    isPagingError(e) && e.code === 'INVALID_RESPONSE' && e.fault === fault && e.message.startsWith(host) && e.message.includes(what);

  before(async () => {
    emulator = await startTestEmulator({ conversionBytesPerSecond: 0, armPageSize: 1 });
    conn = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast);
    for (const tag of ['v1', 'v2', 'v3', 'v4', 'v5']) {
      const pushed = await pushImage(emulator, REPO, tag, { layerSizes: [256] });
      subject ??= pushed;
    }
    await pushImage(emulator, 'paging/other', 'v1', { layerSizes: [256] });
    await pushImage(emulator, 'paging/third', 'v1', { layerSizes: [256] });
    signature = await pushSignature(emulator, REPO, subject);
    await pushImage(emulator, REPO, undefined, { layerSizes: [64], artifactType: SBOM, subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } });
  });
  after(() => emulator?.stop());
  afterEach(() => emulator.clearFaults());

  it('lists every tag when nothing is broken', async () => {
    const tags = await listAllTags(conn.registry, REPO, { pageSize: 2 });
    assert.deepEqual(tags.map((t) => t.name).sort(), ['v1', 'v2', 'v3', 'v4', 'v5']);
  });

  it('a tag listing whose Link repeats the page ends with an error naming the registry', async () => {
    emulator.setFaults([{ kind: 'paging', mode: 'repeat' }]);
    await assert.rejects(conn.registry.listTags(REPO, { pageSize: 2 }), pagingError('repeated-page', emulator.loginServer, `the tags of ${REPO}`));
    await assert.rejects(listAllTags(conn.registry, REPO, { pageSize: 2 }), pagingError('repeated-page', emulator.loginServer, `the tags of ${REPO}`));
  });

  it('the every-tag scan ends on a cycle A→B→A', async () => {
    emulator.setFaults([{ kind: 'paging', mode: 'cycle' }]);
    await assert.rejects(listAllTags(conn.registry, REPO, { pageSize: 2 }), pagingError('repeated-page', emulator.loginServer, `the tags of ${REPO}`));
  });

  it('refuses Links to another origin or another path', async () => {
    emulator.setFaults([{ kind: 'paging', mode: 'foreign-origin' }]);
    await assert.rejects(listAllTags(conn.registry, REPO, { pageSize: 2 }), pagingError('foreign-link', emulator.loginServer, 'https://elsewhere.invalid'));
    emulator.setFaults([{ kind: 'paging', mode: 'foreign-path' }]);
    await assert.rejects(listAllTags(conn.registry, REPO, { pageSize: 2 }), pagingError('foreign-link', emulator.loginServer, `/elsewhere/acr/v1/${REPO}/_tags`));
  });

  it('repositories through the SDK: a repeated page or a foreign Link is an error', async () => {
    emulator.setFaults([{ kind: 'paging', mode: 'repeat' }]);
    await assert.rejects(conn.registry.listRepositories({ pageSize: 1 }), pagingError('repeated-page', emulator.loginServer, 'the repositories'));
    emulator.setFaults([{ kind: 'paging', mode: 'foreign-origin' }]);
    await assert.rejects(conn.registry.listRepositories({ pageSize: 1 }), pagingError('foreign-link', emulator.loginServer, 'the repositories'));
  });

  it('referrers: the client filters when the registry ignores ?artifactType=, and a repeating Link is an error', async () => {
    emulator.setFaults([{ kind: 'ignore-artifact-type' }]);
    const raw = await call(emulator, 'GET', `/v2/${REPO}/referrers/${subject.digest}?artifactType=${encodeURIComponent(SIGNATURE)}`);
    assert.equal(raw.body.manifests.length, 2, 'the emulator really ignored the filter');
    assert.equal(raw.headers.get('oci-filters-applied'), null);
    const filtered = await conn.streaming.listReferrers(REPO, subject.digest, { artifactType: SIGNATURE });
    assert.deepEqual(filtered.map((d) => d.digest), [signature.digest]);

    emulator.setFaults([{ kind: 'paging', mode: 'repeat' }]);
    await assert.rejects(conn.streaming.listReferrers(REPO, subject.digest), pagingError('repeated-page', emulator.loginServer, `the referrers of ${REPO}@${subject.digest}`));
  });

  it('Azure Resource Manager: a nextLink that cycles or leaves the service is an error', async () => {
    const arm = emulator as unknown as { armUrl: string; tenantId: string; issueEntraTestToken(options: { tenantId?: string; scopes?: string[] }): string };
    const credential: TokenCredential = {
      getToken: async (scope): Promise<AccessToken> => ({ token: arm.issueEntraTestToken({ tenantId: arm.tenantId, scopes: Array.isArray(scope) ? scope : [scope] }), expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const api = createAzureResourceClient(credential, parseCustomCloud({ name: 'Emulator', resourceManagerEndpoint: arm.armUrl }), fast);
    const armHost = new URL(arm.armUrl).host;
    assert.equal((await api.listSubscriptions()).length, 2, 'two pages of one subscription each');
    emulator.setFaults([{ kind: 'paging', mode: 'cycle' }]);
    await assert.rejects(api.listSubscriptions(), pagingError('repeated-page', armHost, 'your subscriptions'));
    emulator.setFaults([{ kind: 'paging', mode: 'foreign-origin' }]);
    await assert.rejects(api.listTenants(), pagingError('foreign-link', armHost, 'https://elsewhere.invalid'));
  });
});
