// Journeys that change the registry, in a real VS Code (code-server + Chromium) against the
// seeded emulator: convert an image and inspect its streaming artifact, cancel a conversion,
// turn auto-conversion off and on, and keep a running conversion across a window reload.
// One VS Code for the whole file. The emulator's conversion speed is turned down while a journey
// needs to see a conversion running, and back up (unlimited) to let it finish.
import assert from 'node:assert/strict';
import type { EmulatorHandle } from '../../../emulator';
import type { VsCode } from '../support';
import { RegistryApi } from './support/registryApi';
import { journeyWindow } from './support/journeyWindow';
import { JOURNEY_SETTINGS } from './support/settings';
import {
  answerDialog,
  clearNotifications,
  conversionsStatusItem,
  openRepository,
  operationCard,
  referrerRows,
  runContextMenu,
  selectPanelTab,
  waitForConversionsIdle,
  waitForConversionsStatus,
  waitUntil,
} from './support/ui';

const STREAMING_ARTIFACT_TYPE = 'application/vnd.azure.artifact.streaming.v1';
/** Slow enough that a conversion of a sample image (a few MB) stays visible for minutes. */
const SLOW = 16 * 1024;
/** Slower still, for the small images and for steps that take a while (a window reload). */
const CRAWL = 2 * 1024;
/** Practically paused: nothing moves until the speed is raised again. */
const STALLED = 1;
const UNLIMITED = 0;

describe('journeys: converting images', function () {
  const window = journeyWindow(
    (emulator) => ({
      emulator,
      settings: {
        ...JOURNEY_SETTINGS,
        // Follow conversions closely: the default backs off to 15 s between polls.
        'acrStreaming.pollInterval.maxSeconds': 2,
      },
    }),
    { conversionBytesPerSecond: UNLIMITED },
  );
  let emulator: EmulatorHandle | undefined;
  let vscode: VsCode | undefined;
  let api: RegistryApi;
  let registry: string;

  before(async function () {
    this.timeout(120_000);
    const running = window();
    ({ emulator, vscode, api } = running);
    registry = running.emulator.loginServer;
    await running.vscode.openView();
    await running.vscode.findTreeItem(registry, { timeout: 90_000 });
  });

  afterEach(async () => {
    emulator?.setConversionSpeed(UNLIMITED);
    if (vscode) await clearNotifications(vscode).catch(() => undefined);
  });


  /** The tag's row once its badge is no longer loading. */
  async function badge(path: string[], accept: (description: string) => boolean, timeout = 60_000): Promise<string> {
    try {
      const row = await vscode!.waitForTreeRow(path, (r) => r.description !== '…' && accept(r.description), { timeout });
      return row.description;
    } catch (error) {
      // Tell a stuck extension from a stuck registry: does the emulator answer the same question now?
      const [repository, tag] = path.slice(1);
      const t = Date.now();
      const answer = await api.lastOperation(repository, tag).then(
        (op) => `last operation ${op?.status ?? 'none'}`,
        (e: unknown) => `error ${e instanceof Error ? e.message : String(e)}`,
      );
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n(the registry answered in ${Date.now() - t} ms: ${answer})`, { cause: error });
    }
  }

  it('2. Create Streaming Artifact on samples/hello:1.0 runs, completes and shows the referrer in the panel', async () => {
    const vs = vscode!;
    const tag = [registry, 'samples/hello', '1.0'];
    await vs.openView();
    await openRepository(vs, registry, 'samples/hello');
    assert.equal(await badge(tag, () => true), 'not converted');

    emulator!.setConversionSpeed(SLOW);
    await runContextMenu(vs, tag, 'Create Streaming Artifact');
    await vs.waitForNotification(/The conversion of samples\/hello:1\.0 started/);
    const status = await waitForConversionsStatus(vs.page);
    assert.match(status, /^1 converting, \d+%$/);
    assert.match(await badge(tag, (d) => d.startsWith('converting')), /^converting( \d+%| \(queued\))$/);
    // The progress moves while it runs (at SLOW speed, a few % every few seconds).
    await badge(tag, (d) => /^converting [1-9]\d*%$/.test(d), 90_000);
    assert.equal((await api.lastOperation('samples/hello', '1.0'))?.status, 'Running');
    await vs.screenshot('journey-2-converting-tree-and-status-bar');

    emulator!.setConversionSpeed(UNLIMITED);
    assert.equal(await badge(tag, (d) => !d.startsWith('converting'), 90_000), 'streamed');
    await waitForConversionsIdle(vs.page);
    const artifacts = await api.streamingReferrers('samples/hello', '1.0');
    assert.equal(artifacts.length, 1, 'the registry has one streaming artifact for the image');

    // The tag now has the artifact as a child in the tree…
    await vs.expand(tag);
    await vs.findTreeItem([...tag, 'streaming artifact']);
    await vs.screenshot('journey-2-streamed-tree');

    // …and Show Referrers opens the panel on it.
    await runContextMenu(vs, tag, 'Show Referrers');
    const panel = vs.webview();
    await panel.locator('table.referrers tbody tr').first().waitFor({ timeout: 30_000 });
    const rows = await referrerRows(panel);
    const streaming = rows.filter((r) => r.artifactType === STREAMING_ARTIFACT_TYPE);
    assert.deepEqual(streaming.map((r) => r.digest), artifacts, `referrers shown: ${JSON.stringify(rows)}`);
    await vs.screenshot('journey-2-panel-referrers');

    await selectPanelTab(panel, 'Operations');
    const card = operationCard(panel, 'samples/hello:1.0');
    await card.and(panel.locator('[data-status="Succeeded"]')).waitFor();
    assert.equal((await card.locator('.op-status').innerText()).trim(), 'Succeeded');
    await vs.screenshot('journey-2-panel-operations');
  });

  it('4. Cancel Operation (tree) and the panel\'s Cancel button stop a conversion', async () => {
    const vs = vscode!;
    const viaTree = [registry, 'samples/hello', '1.1'];
    await vs.openView();
    await openRepository(vs, registry, 'samples/hello');
    assert.equal(await badge(viaTree, () => true), 'not converted');

    emulator!.setConversionSpeed(STALLED);
    await runContextMenu(vs, viaTree, 'Create Streaming Artifact');
    await badge(viaTree, (d) => d.startsWith('converting'));
    await waitForConversionsStatus(vs.page);

    await runContextMenu(vs, viaTree, 'Cancel Operation');
    await answerDialog(vs.page, 'Cancel the conversion of samples/hello:1.1?', 'Cancel Conversion');
    await vs.waitForNotification('Cancelled: samples/hello:1.1.');
    assert.equal(await badge(viaTree, (d) => !d.startsWith('converting')), 'not converted');
    assert.equal((await api.lastOperation('samples/hello', '1.1'))?.status, 'Canceled');
    assert.deepEqual(await api.streamingReferrers('samples/hello', '1.1'), []);
    await waitForConversionsIdle(vs.page, 30_000);
    await vs.screenshot('journey-4-cancelled-tree');

    // The panel lists the cancelled conversion…
    await vs.runCommand('Open Streaming Panel');
    const panel = vs.webview();
    await selectPanelTab(panel, 'Operations');
    const cancelled = operationCard(panel, 'samples/hello:1.1');
    await cancelled.and(panel.locator('[data-status="Canceled"]')).waitFor();
    assert.equal((await cancelled.locator('.op-status').innerText()).trim(), 'Canceled');

    // …and its Cancel button stops another one.
    const viaPanel = [registry, 'samples/multiarch', '1.0'];
    await openRepository(vs, registry, 'samples/multiarch');
    assert.equal(await badge(viaPanel, () => true), 'not converted');
    await runContextMenu(vs, viaPanel, 'Create Streaming Artifact');
    await badge(viaPanel, (d) => d.startsWith('converting'));
    await vs.runCommand('Open Streaming Panel');
    const running = operationCard(panel, 'samples/multiarch:1.0');
    await running.and(panel.locator('[data-status="Running"], [data-status="NotStarted"]')).waitFor();
    await vs.screenshot('journey-4-panel-running');
    await running.locator('vscode-button', { hasText: /^\s*Cancel\s*$/ }).click();
    await running.and(panel.locator('[data-status="Canceled"]')).waitFor({ timeout: 60_000 });
    assert.equal(await badge(viaPanel, (d) => !d.startsWith('converting')), 'not converted');
    assert.equal((await api.lastOperation('samples/multiarch', '1.0'))?.status, 'Canceled');
    await waitForConversionsIdle(vs.page, 30_000);
    await vs.screenshot('journey-4-panel-cancelled');
  });

  it('3. Stop/Start Artifact Streaming switch a repository Inactive/Active, and a push to an Active one converts', async () => {
    const vs = vscode!;
    const repo = [registry, 'samples/auto'];
    await vs.openView();
    await vs.expand(registry);
    assert.equal((await vs.waitForTreeRow(repo, (r) => r.description !== '')).description, 'Active');
    // Expanded before any Refresh: refreshing a repository while VS Code is still fetching its
    // children makes VS Code fetch them twice at once (see the report: "already registered").
    await vs.expand(repo);
    await badge([...repo, '1.0'], () => true);

    // Stop: Inactive, and a push is left alone.
    await runContextMenu(vs, repo, 'Stop Artifact Streaming');
    await vs.waitForTreeRow(repo, (r) => r.description === 'Inactive');
    await vs.waitForNotification(/Artifact streaming stopped for samples\/auto/);
    assert.equal(await api.autoConversion('samples/auto'), false);
    await api.push('samples/auto', 'e2e-while-inactive');
    await runContextMenu(vs, repo, 'Refresh');
    assert.equal(await badge([...repo, 'e2e-while-inactive'], () => true), 'not converted');
    assert.equal(await api.lastOperation('samples/auto', 'e2e-while-inactive'), undefined);
    await vs.screenshot('journey-3-inactive');

    // Start: Active again, and the next push starts a conversion the tree shows.
    await runContextMenu(vs, repo, 'Start Artifact Streaming');
    await vs.waitForTreeRow(repo, (r) => r.description === 'Active');
    await vs.waitForNotification(/Artifact streaming started for samples\/auto/);
    assert.equal(await api.autoConversion('samples/auto'), true);

    emulator!.setConversionSpeed(SLOW);
    await api.push('samples/auto', 'e2e-while-active', [1024 * 1024]);
    await waitUntil(() => api.lastOperation('samples/auto', 'e2e-while-active'), (op) => op !== undefined, 'the auto-conversion to start', 30_000);
    await runContextMenu(vs, repo, 'Refresh');
    assert.match(await badge([...repo, 'e2e-while-active'], () => true), /^converting/);
    assert.equal(await badge([...repo, 'e2e-while-inactive'], () => true), 'not converted');
    await vs.screenshot('journey-3-active-push-converting');

    emulator!.setConversionSpeed(UNLIMITED);
    await waitUntil(() => api.lastOperation('samples/auto', 'e2e-while-active'), (op) => op?.status === 'Succeeded', 'the auto-conversion to finish');
    // The registry started this conversion; the tree tracks it from its badge and shows the end.
    assert.equal(await badge([...repo, 'e2e-while-active'], (d) => !d.startsWith('converting'), 90_000), 'streamed');
    assert.equal((await api.streamingReferrers('samples/auto', 'e2e-while-active')).length, 1);
    await vs.screenshot('journey-3-active-push-streamed');
  });

  it('7. a running conversion survives a window reload and completes afterwards', async () => {
    const vs = vscode!;
    const tag = [registry, 'samples/hello', '2.0'];
    await vs.openView();
    await openRepository(vs, registry, 'samples/hello');
    assert.equal(await badge(tag, () => true), 'not converted');

    emulator!.setConversionSpeed(CRAWL);
    await runContextMenu(vs, tag, 'Create Streaming Artifact');
    await badge(tag, (d) => d.startsWith('converting'));
    await waitForConversionsStatus(vs.page);
    await vs.runCommand('Open Streaming Panel');
    await operationCard(vs.webview(), 'samples/hello:2.0').and(vs.webview().locator('[data-status="Running"]')).waitFor();
    await vs.screenshot('journey-7-before-reload');

    await vs.reloadWindow();
    // After the reload: a new extension host restores the tracked operation.
    const status = await waitForConversionsStatus(vs.page, 90_000);
    assert.match(status, /^1 converting, \d+%$/);
    const panel = vs.webview();
    // The panel is revived by its serializer, on the tab it last showed.
    await selectPanelTab(panel, 'Operations');
    await operationCard(panel, 'samples/hello:2.0').and(panel.locator('[data-status="Running"]')).waitFor({ timeout: 60_000 });
    await vs.openView();
    await vs.findTreeItem(registry, { timeout: 90_000 });
    await openRepository(vs, registry, 'samples/hello');
    // VS Code re-expands the tree by itself after a reload, fetching the tags while the
    // repository's state is still loading; the tags must still get their badges.
    assert.match(await badge(tag, () => true), /^converting/);
    await vs.screenshot('journey-7-after-reload');

    emulator!.setConversionSpeed(UNLIMITED);
    assert.equal(await badge(tag, (d) => !d.startsWith('converting'), 90_000), 'streamed');
    await waitForConversionsIdle(vs.page);
    await operationCard(panel, 'samples/hello:2.0').and(panel.locator('[data-status="Succeeded"]')).waitFor();
    assert.equal((await api.lastOperation('samples/hello', '2.0'))?.status, 'Succeeded');
    await vs.screenshot('journey-7-completed');
    assert.equal(await conversionsStatusItem(vs.page).count(), 0);
  });
});
