// Journeys through Azure in a real VS Code (code-server + Chromium): sign in through VS Code's
// authentication API, discover subscriptions and registries through the emulator's Azure Resource
// Manager, read a registry through the Entra → ACR token exchange, be refused before anything is
// sent where ACR would refuse (Standard SKU, customer-managed keys), filter subscriptions, open
// the portal, read the AKS help, untag with soft-delete implications, and sign out.
// Microsoft Entra itself cannot run here: the sign-in is the extension's test provider, which gets
// tokens in Entra's shape from the emulator (src/azure/testEntraProvider.ts).
import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../../emulator';
import type { VsCode } from '../support';
import { waitForNotification } from '../support/notifications';
import { quickPickAccept, quickPickItems } from '../support/quickInput';
import { RegistryApi } from './support/registryApi';
import { journeyWindow } from './support/journeyWindow';
import { JOURNEY_SETTINGS } from './support/settings';
import { exactText } from '../support/text';
import { answerDialog, clearNotifications, dialog, runContextMenu, waitForConversionsIdle, waitForConversionsStatus, waitUntil } from './support/ui';

const CLOUD = 'ACR emulator';
const PRODUCTION = 'Contoso Production';
const SANDBOX = 'Contoso Sandbox';
const FABRIKAM = 'Fabrikam Dev';

/** The emulator's fault rules with the hits each has left. */
async function listFaults(emulator: EmulatorHandle): Promise<Array<{ remaining: number | null }>> {
  const response = await fetch(`${emulator.url}/_emulator/faults`);
  return ((await response.json()) as { rules: Array<{ remaining: number | null }> }).rules;
}

describe('journeys: Azure', function () {
  const window = journeyWindow((emulator) => ({
    // No registry by hand: everything comes from Azure.
    settings: {
      ...JOURNEY_SETTINGS,
      'acrStreaming.azure.cloud': 'Custom',
      'acrStreaming.azure.customCloud': {
        name: CLOUD,
        resourceManagerEndpoint: emulator.armUrl,
        authenticationProvider: 'acr-streaming-test-entra',
      },
    },
    env: { ACR_STREAMING_TEST_ENTRA_URL: emulator.url },
  }));
  let emulator: EmulatorHandle | undefined;
  let vscode: VsCode | undefined;
  let api: RegistryApi;

  before(async function () {
    this.timeout(120_000);
    const running = window();
    ({ emulator, vscode, api } = running);
    await running.vscode.openView();
  });

  afterEach(async () => {
    if (vscode) await clearNotifications(vscode).catch(() => undefined);
  });


  it('signs in from the empty view and lists subscriptions by tenant and registries with SKU and location', async function () {
    this.timeout(180_000);
    const vs = vscode!;
    const signIn = vs.welcomeView().getByRole('button', { name: 'Sign In to Azure…' });
    await signIn.waitFor({ state: 'visible', timeout: 60_000 });
    await signIn.click();
    // VS Code asks before an extension uses an account; the test provider plays Microsoft's.
    await answerDialog(vs.page, /wants to sign in using Microsoft Entra \(ACR emulator\)/, 'Allow');
    const root = await vs.waitForTreeRow(CLOUD, (r) => r.description !== 'not signed in', { timeout: 60_000 });
    assert.match(root.description, /@contoso/i, 'the Azure node names the signed-in account');

    await vs.expand(CLOUD);
    for (const [subscription, tenant] of [
      [PRODUCTION, 'Contoso'],
      [SANDBOX, 'Contoso'],
      [FABRIKAM, 'Fabrikam'],
    ]) {
      const row = await vs.waitForTreeRow([CLOUD, subscription], () => true);
      assert.match(row.description, new RegExp(tenant), `${subscription} is shown with its tenant`);
    }
    await vs.expand([CLOUD, PRODUCTION]);
    const premium = await vs.waitForTreeRow([CLOUD, PRODUCTION, 'streamingdemo'], () => true);
    assert.equal(premium.description, 'Premium · eastus');
    const standard = await vs.waitForTreeRow([CLOUD, PRODUCTION, 'standarddemo'], () => true);
    assert.equal(standard.description, 'Standard · westeurope · no streaming');
    const tooltip = await vs.treeItemTooltip([CLOUD, PRODUCTION, 'standarddemo']);
    assert.match(tooltip, /Premium/);
    await vs.screenshot('azure-1-discovery');
  });

  it('reads a discovered registry through the Entra token exchange: repositories, states and badges', async function () {
    this.timeout(180_000);
    const vs = vscode!;
    const registry = [CLOUD, PRODUCTION, 'streamingdemo'];
    await vs.expand([CLOUD, PRODUCTION]);
    await vs.expand(registry);
    await vs.waitForTreeRow([...registry, 'samples/hello'], (r) => r.description === 'Inactive' || r.description === 'Active', { timeout: 60_000 });
    await vs.expand([...registry, 'samples/hello']);
    const tag = await vs.waitForTreeRow([...registry, 'samples/hello', '1.0'], (r) => r.description !== '…', { timeout: 60_000 });
    assert.equal(tag.description, 'not converted');
  });

  it('refuses to convert on a Standard registry and to start auto-conversion with customer-managed keys, sending nothing', async function () {
    this.timeout(240_000);
    const vs = vscode!;
    const operationsBefore = await api.lastOperation('samples/docker-v2', '1.0');
    // A pass-through rule that counts every streaming or operations call any listener receives.
    const STREAMING_CALLS = 1_000;
    emulator!.setFaults([{ match: '^[A-Z]+ /acr/v1/[^ ]*/_(streaming|operations)', kind: 'latency', latencyMs: 0, times: STREAMING_CALLS }]);

    const standard = [CLOUD, PRODUCTION, 'standarddemo'];
    await vs.expand([CLOUD, PRODUCTION]);
    await vs.expand(standard);
    await vs.waitForTreeRow([...standard, 'samples/docker-v2'], () => true, { timeout: 60_000 });
    await vs.expand([...standard, 'samples/docker-v2']);
    // Azure says this registry cannot stream: the tag says so without asking the registry.
    await vs.waitForTreeRow([...standard, 'samples/docker-v2', '1.0'], (r) => r.description === 'no streaming', { timeout: 60_000 });
    await runContextMenu(vs, [...standard, 'samples/docker-v2', '1.0'], 'Create Streaming Artifact');
    await waitForNotification(vs.page, /Cannot create streaming artifacts on standarddemo: .*Premium/);
    await vs.screenshot('azure-3-standard-refused');

    await vs.expand([CLOUD, SANDBOX]);
    const cmk = [CLOUD, SANDBOX, 'cmkdemo'];
    await vs.expand(cmk);
    // The registry refuses streaming calls, so the repository's state stays unknown (no Active/Inactive).
    await vs.waitForTreeRow([...cmk, 'samples/hello'], () => true, { timeout: 60_000 });
    await runContextMenu(vs, [...cmk, 'samples/hello'], 'Start Artifact Streaming');
    await waitForNotification(vs.page, /Cannot start artifact streaming on cmkdemo: .*customer-managed keys/);

    // Nothing reached the registry: not one streaming call, no conversion started, still Inactive.
    const [counter] = await listFaults(emulator!);
    emulator!.clearFaults();
    assert.equal(counter.remaining, STREAMING_CALLS, 'no streaming or operations request was sent');
    assert.deepEqual(await api.lastOperation('samples/docker-v2', '1.0'), operationsBefore);
    assert.equal(await api.autoConversion('samples/hello'), false);
  });

  it('filters subscriptions with Select Subscriptions…', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    await runContextMenu(vs, CLOUD, 'Select Subscriptions…');
    const items = await waitUntil(() => quickPickItems(vs.page), (labels) => labels.some((l) => l.includes(FABRIKAM)), 'the subscriptions to pick from');
    assert.ok(items.some((l) => l.includes(PRODUCTION)));
    // Untick Fabrikam Dev, keep the others.
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: FABRIKAM }).locator('.quick-input-list-checkbox, input[type=checkbox]').first().click();
    await quickPickAccept(vs.page);
    await waitUntil(
      async () => (await vs.page.locator('.monaco-list-row[role="treeitem"] .label-name', { hasText: FABRIKAM }).count()) === 0,
      (gone) => gone,
      'Fabrikam Dev to leave the tree',
    );
    await vs.waitForTreeRow([CLOUD, PRODUCTION], () => true);
  });

  it('opens the registry in the Azure portal and shows the Stream on AKS help', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    const registry = [CLOUD, PRODUCTION, 'streamingdemo'];
    // No internet here: the portal is answered by a stub, so the tab keeps the address it was given.
    await vs.page.context().route('https://portal.azure.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>portal</title>' }));
    const popup = vs.page.context().waitForEvent('page', { timeout: 30_000 });
    await runContextMenu(vs, registry, 'Open in Azure Portal');
    // VS Code asks before opening an external site.
    await answerDialog(vs.page, /open the external website/i, 'Open');
    const portal = await popup;
    const url = decodeURIComponent(portal.url());
    assert.match(url, /^https:\/\/portal\.azure\.com\/#@[0-9a-f-]{36}\/resource\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-streaming\/providers\/Microsoft\.ContainerRegistry\/registries\/streamingdemo\/overview$/i);
    await portal.close();

    await runContextMenu(vs, registry, 'Stream on AKS…');
    const tab = vs.page.locator('.tabs-container .tab', { hasText: /Stream on AKS - streamingdemo/ });
    await tab.first().waitFor({ state: 'visible', timeout: 30_000 });
    // The Markdown preview (a webview) shows the node pool command with this registry's name.
    const preview = vs.webview();
    await preview.getByText(/--enable-artifact-streaming/).first().waitFor({ timeout: 30_000 });
    await preview.getByText(/--attach-acr streamingdemo/).first().waitFor();
    await vs.screenshot('azure-5-aks-help');
  });

  it('untags after a confirmation that states the registry’s soft-delete policy', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    const repository = [CLOUD, PRODUCTION, 'streamingdemo', 'samples/hello'];
    await vs.waitForTreeRow([...repository, '1.1'], (r) => r.description !== '…', { timeout: 60_000 });
    await runContextMenu(vs, [...repository, '1.1'], 'Untag…');
    const box = dialog(vs.page, 'Untag samples/hello:1.1?');
    await box.waitFor({ state: 'visible' });
    await vs.screenshot('azure-6-untag-confirmation');
    const detail = await box.locator('.dialog-message-detail').innerText();
    assert.match(detail, /Soft delete is on: the tag can be restored for 7 days/);
    await answerDialog(vs.page, 'Untag samples/hello:1.1?', 'Untag');
    await waitUntil(() => api.tags('samples/hello'), (tags) => !tags.includes('1.1'), 'the tag to be gone from the registry');
    await waitUntil(
      async () => (await vs.page.locator('.monaco-list-row[role="treeitem"] .label-name', { hasText: /^1\.1$/ }).count()) === 0,
      (gone) => gone,
      'the tag row to go',
    );
  });

  it('deletes an image after a confirmation that names its tags, its streaming artifacts and what soft delete restores', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    const repository = [CLOUD, PRODUCTION, 'streamingdemo', 'samples/docker-v2'];
    await vs.expand(repository);
    await vs.waitForTreeRow([...repository, '1.0'], (r) => r.description !== '…', { timeout: 60_000 });
    await runContextMenu(vs, [...repository, '1.0'], 'Delete Image…');
    const box = dialog(vs.page, /Delete samples\/docker-v2@sha256:[0-9a-f]{12}\?/);
    await box.waitFor({ state: 'visible' });
    const detail = await box.locator('.dialog-message-detail').innerText();
    assert.match(detail, /tags 1\.0; 0 streaming artifacts/);
    assert.match(detail, /Soft delete is on: the image can be restored for 7 days, but its streaming artifacts cannot/);
    await box.locator('.dialog-buttons .monaco-button', { hasText: 'Delete Image' }).click();
    // Its only tag gone, the repository may be gone too (NAME_UNKNOWN): no tags either way.
    await waitUntil(() => api.tags('samples/docker-v2').catch((): string[] => []), (tags) => !tags.includes('1.0'), 'the image to be gone from the registry');
    await waitForNotification(vs.page, /samples\/docker-v2@sha256:[0-9a-f]{12} deleted/);
  });

  it('keeps the sign-in, the filter, the help and a running conversion across a window reload', async function () {
    this.timeout(240_000);
    const vs = vscode!;
    // A conversion on a discovered registry, still running when the window reloads with the Azure
    // node collapsed: the restored tracker must find the registry through Azure by itself.
    emulator!.setConversionSpeed(2 * 1024);
    const tag = [CLOUD, PRODUCTION, 'streamingdemo', 'samples/hello', '2.0'];
    await vs.waitForTreeRow(tag, (r) => r.description === 'not converted', { timeout: 60_000 });
    await runContextMenu(vs, tag, 'Create Streaming Artifact');
    assert.match(await waitForConversionsStatus(vs.page), /^1 converting/);
    await vs.collapse(CLOUD);
    await vs.reloadWindow();
    assert.match(await waitForConversionsStatus(vs.page, 90_000), /^1 converting/, 'the conversion is still tracked');
    emulator!.setConversionSpeed(0);
    await waitForConversionsIdle(vs.page);
    assert.equal((await api.lastOperation('samples/hello', '2.0'))?.status, 'Succeeded');

    await vs.openView();
    const root = await vs.waitForTreeRow(CLOUD, (r) => r.description !== '', { timeout: 90_000 });
    assert.match(root.description, /@contoso/i, 'still signed in after the reload');
    await vs.expand(CLOUD);
    await vs.waitForTreeRow([CLOUD, PRODUCTION], () => true, { timeout: 60_000 });
    await vs.waitForTreeRow([CLOUD, SANDBOX], () => true);
    assert.equal(await vs.page.locator('.monaco-list-row[role="treeitem"] .label-name', { hasText: FABRIKAM }).count(), 0, 'Fabrikam Dev stays filtered out');
    // VS Code restored the AKS help preview; its address says enough to render it again.
    await vs.page.locator('.tabs-container .tab', { hasText: /Stream on AKS - streamingdemo/ }).first().click();
    await vs.webview().getByText(/--attach-acr streamingdemo/).first().waitFor({ timeout: 30_000 });
  });

  it('signs out: the view is empty again and offers to sign in', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    await runContextMenu(vs, CLOUD, 'Sign Out of Azure');
    await waitForNotification(vs.page, /Signed out of Azure/);
    await vs.welcomeView().getByRole('button', { name: 'Sign In to Azure…' }).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('follows a sign-out from VS Code\'s Accounts menu: the provider\'s session goes, so does the tree', async function () {
    this.timeout(120_000);
    const vs = vscode!;
    const page = vs.page;
    // Signed in again: VS Code remembers that the extension may use the account.
    await vs.welcomeView().getByRole('button', { name: 'Sign In to Azure…' }).click();
    await vs.waitForTreeRow(CLOUD, (r) => r.description !== 'not signed in', { timeout: 60_000 });

    await page.locator('.activitybar .action-item a[aria-label^="Accounts"]').click();
    const account = page.locator('.context-view .monaco-menu .action-item', { hasText: /@contoso.*ACR emulator/ }).first();
    await account.waitFor({ state: 'visible' });
    await account.hover();
    await page.keyboard.press('ArrowRight');
    const signOut = page.locator('.context-view .monaco-menu .action-item', { hasText: exactText('Sign Out') }).last();
    await signOut.waitFor({ state: 'visible' });
    // Hover + Enter: a click on an animated menu entry does not always run it (see runContextMenu).
    await signOut.hover();
    await page.keyboard.press('Enter');
    await answerDialog(page, /ACR Artifact Streaming/, 'Sign Out');
    await vs.welcomeView().getByRole('button', { name: 'Sign In to Azure…' }).waitFor({ state: 'visible', timeout: 30_000 });
  });
});
