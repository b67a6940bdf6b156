/**
 * Fault matrix, hardening item 1 ("Paging that never ends"): registries and Azure Resource
 * Manager whose next-page links repeat, cycle or point elsewhere, and a registry that ignores
 * `?artifactType=`. Each row starts its own scripted server or emulator and stops it.
 */
import * as assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createAzureResourceClient } from '../../../../src/core/azure/azureResourceClient';
import { parseCustomCloud } from '../../../../src/core/azure/clouds';
import { connect } from '../../../../src/core/connect';
import { listAllTags } from '../../../../src/core/listAllTags';
import { MEDIA_TYPES } from '../../../../src/core/mediaTypes';
import { isPagingError, type PagingFault } from '../../../../src/core/paging';
import { parseRegistry } from '../../../../src/core/reference';
import type { EmulatorHandle } from '../../../../emulator';
import { json, startScriptedServer, type ScriptedServer } from '../../../unit/core/support/scriptedServer';
import { startTestEmulator } from '../../emulator/support/emulatorFixture';
import { pushImage, pushSignature } from '../../emulator/support/registryPush';
import type { FaultRow } from '../faultRow';

const fast = { maxRetries: 1, retryDelayMs: 20, timeoutMs: 5_000 };
const DIGEST = `sha256:${'b'.repeat(64)}`;
const SIGNATURE = 'application/vnd.cncf.notary.signature';

async function withServer(run: (server: ScriptedServer, host: string) => Promise<void>): Promise<void> {
  const server = await startScriptedServer();
  try {
    await run(server, new URL(server.baseUrl).host);
  } finally {
    await server.close();
  }
}

async function withEmulator(run: (emulator: EmulatorHandle) => Promise<void>): Promise<void> {
  const emulator = await startTestEmulator({ conversionBytesPerSecond: 0 });
  try {
    await run(emulator);
  } finally {
    await emulator.stop();
  }
}

function assertPagingError(fault: PagingFault, host: string, what: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isPagingError(e), `expected a paging error, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_RESPONSE');
    assert.equal(e.fault, fault);
    assert.ok(e.message.startsWith(host), e.message);
    assert.ok(e.message.includes(what), e.message);
    return true;
  };
}

export const rows: FaultRow[] = [
  {
    fault: 'Link rel="next" repeats the page just read (same URL), tag listing',
    item: 1,
    expected: 'INVALID_RESPONSE naming the registry and the listing; one request, no loop',
    boundMs: 10_000,
    run: () =>
      withServer(async (server, host) => {
        server.handle((req, res) => json(res, 200, { tags: [{ name: 't1', digest: DIGEST }] }, { link: `<${req.path}>; rel="next"` }));
        const registry = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).registry;
        await assert.rejects(listAllTags(registry, 'samples/hello', { pageSize: 1 }), assertPagingError('repeated-page', host, 'the tags of samples/hello'));
        assert.equal(server.seen.length, 1);
      }),
  },
  {
    fault: 'Tag pages cycle A→B→A (emulator paging fault "cycle"), every-tag scan of bulk create',
    item: 1,
    expected: 'INVALID_RESPONSE naming the registry after at most 3 pages; no duplicate tags returned',
    boundMs: 30_000,
    run: () =>
      withEmulator(async (emulator) => {
        for (const tag of ['v1', 'v2', 'v3', 'v4']) {
          await pushImage(emulator, 'matrix/app', tag, { layerSizes: [128] });
        }
        const registry = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast).registry;
        emulator.setFaults([{ kind: 'paging', mode: 'cycle' }]);
        await assert.rejects(listAllTags(registry, 'matrix/app', { pageSize: 2 }), assertPagingError('repeated-page', emulator.loginServer, 'the tags of matrix/app'));
      }),
  },
  {
    fault: 'Referrers Link points to another origin',
    item: 1,
    expected: 'INVALID_RESPONSE naming the registry and the foreign origin; the link is not followed',
    boundMs: 10_000,
    run: () =>
      withServer(async (server, host) => {
        const path = `/v2/samples/hello/referrers/${DIGEST}`;
        server.handle((_req, res) =>
          json(res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] }, { link: `<https://elsewhere.example${path}?page=2>; rel="next"` }),
        );
        const streaming = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).streaming;
        await assert.rejects(streaming.listReferrers('samples/hello', DIGEST), assertPagingError('foreign-link', host, 'https://elsewhere.example'));
        assert.equal(server.seen.length, 1);
      }),
  },
  {
    fault: 'Tag listing Link points to another path on the registry (another repository\'s tags)',
    item: 1,
    expected: 'INVALID_RESPONSE naming the registry and the foreign path; the link is not followed',
    boundMs: 10_000,
    run: () =>
      withServer(async (server, host) => {
        server.handle((_req, res) => json(res, 200, { tags: [{ name: 't1', digest: DIGEST }] }, { link: '</acr/v1/other/_tags?last=t1&n=1>; rel="next"' }));
        const registry = connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).registry;
        await assert.rejects(registry.listTags('samples/hello', { pageSize: 1 }), assertPagingError('foreign-link', host, '/acr/v1/other/_tags'));
        assert.equal(server.seen.length, 1);
      }),
  },
  {
    fault: 'Registry ignores ?artifactType= on referrers (emulator fault "ignore-artifact-type")',
    item: 1,
    expected: 'the client filters itself: only referrers of the asked type',
    boundMs: 30_000,
    run: () =>
      withEmulator(async (emulator) => {
        const subject = await pushImage(emulator, 'matrix/app', 'v1', { layerSizes: [128] });
        const signature = await pushSignature(emulator, 'matrix/app', subject);
        await pushImage(emulator, 'matrix/app', undefined, { layerSizes: [64], artifactType: 'application/vnd.example.sbom', subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } });
        const streaming = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, fast).streaming;
        emulator.setFaults([{ kind: 'ignore-artifact-type' }]);
        const referrers = await streaming.listReferrers('matrix/app', subject.digest, { artifactType: SIGNATURE });
        assert.deepEqual(referrers.map((d) => d.digest), [signature.digest]);
      }),
  },
  {
    fault: 'Azure Resource Manager nextLink repeats the page just read (subscriptions)',
    item: 1,
    expected: 'INVALID_RESPONSE naming the ARM host; the SDK does not fetch the page again',
    boundMs: 10_000,
    run: () =>
      withServer(async (server, host) => {
        server.handle((req, res) =>
          json(res, 200, { value: [{ id: '/subscriptions/s1', subscriptionId: '33333333-3333-4333-8333-333333333331', displayName: 'One', tenantId: '11111111-1111-4111-8111-111111111111' }], nextLink: `${server.baseUrl}${req.path}` }),
        );
        const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
        const api = createAzureResourceClient(credential, parseCustomCloud({ name: 'Local', resourceManagerEndpoint: server.baseUrl }), fast);
        await assert.rejects(api.listSubscriptions(), assertPagingError('repeated-page', host, 'your subscriptions'));
        assert.equal(server.seen.length, 1);
      }),
  },
];
