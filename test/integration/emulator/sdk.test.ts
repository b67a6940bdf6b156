/**
 * `@azure/container-registry` 1.1.2 against the emulator over HTTPS (its bearer policy refuses
 * plain HTTP): the SDK's own challenge handler does the Entra exchange and token dance, and its
 * deserialisers read the emulator's listings.
 */
import { ContainerRegistryClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { startTestEmulator } from './support/emulatorFixture';
import { pushImage } from './support/registryPush';

describe('emulator: TLS and @azure/container-registry', function () {
  this.timeout(60_000);
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let ca: string;

  before(async () => {
    emu = await startTestEmulator({ tls: true });
    assert.ok(emu.caCertPath);
    ca = await readFile(emu.caCertPath, 'utf8');
    // fetch() here does not trust the emulator's CA: push to the raw registry underneath, which
    // the emulator reads (and hears about through its notifications).
    const raw = { url: emu.upstreamUrl, username: '', password: '' };
    for (let i = 0; i < 3; i++) {
      await pushImage(raw, 'sdk/app', `v${i}`, { layerSizes: [100] });
    }
    await pushImage(raw, 'sdk/other', 'latest', { layerSizes: [100] });
  });
  after(async () => {
    await emu?.stop();
  });

  it('serves HTTPS with a certificate for 127.0.0.1 that its CA file verifies', async () => {
    assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${emu.url}/v2/`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 401);
    // Without the CA, the certificate is not trusted.
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = request(`${emu.url}/v2/`, {}, resolve);
        req.on('error', reject);
        req.end();
      }),
      /self-signed|self signed|unable to verify/i,
    );
  });

  it('lets the SDK sign in with an Entra token and list repositories, tags and manifests', async () => {
    let tokenRequests = 0;
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => {
        tokenRequests++;
        return { token: emu.issueEntraTestToken(), expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const client = new ContainerRegistryClient(emu.url, credential, {
      audience: KnownContainerRegistryAudience.AzureResourceManagerPublicCloud,
      tlsOptions: { ca },
      retryOptions: { maxRetries: 0 },
    });
    const names: string[] = [];
    for await (const page of client.listRepositoryNames().byPage({ maxPageSize: 1 })) {
      names.push(...page);
    }
    assert.ok(names.includes('sdk/app') && names.includes('sdk/other'), names.join(','));
    assert.ok(tokenRequests >= 1);

    const repository = client.getRepository('sdk/app');
    const properties = await repository.getProperties();
    assert.equal(properties.name, 'sdk/app');
    assert.equal(properties.tagCount, 3);
    assert.equal(properties.manifestCount, 3);
    assert.ok(properties.createdOn instanceof Date);

    const manifests = [];
    for await (const manifest of repository.listManifestProperties({ order: 'LastUpdatedOnDescending' })) {
      manifests.push(manifest);
    }
    assert.equal(manifests.length, 3);
    assert.equal(manifests[0].architecture, 'amd64');
    assert.equal(manifests[0].operatingSystem, 'linux');
    assert.deepEqual(manifests.flatMap((m) => m.tags).sort(), ['v0', 'v1', 'v2']);

    const artifact = repository.getArtifact('v1');
    const tags = [];
    for await (const page of artifact.listTagProperties().byPage({ maxPageSize: 1 })) {
      tags.push(...page);
    }
    // SDK 1.1.2 lists the repository's tags here (it sends no digest filter), one per page.
    assert.deepEqual(tags.map((t) => t.name), ['v0', 'v1', 'v2']);
    const manifest = await artifact.getManifestProperties();
    assert.deepEqual(manifest.tags, ['v1']);
  });
});
