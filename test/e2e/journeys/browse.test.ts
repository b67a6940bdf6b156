// Journeys that read the registry in a real VS Code (code-server + Chromium) against the seeded
// emulator: the tree and its badges, why an image cannot be converted, and paging 1,500 tags.
// One VS Code for the whole file; each `it` leaves the window as it found it (menus closed).
import assert from 'node:assert/strict';
import type { VsCode } from '../support';
import { RegistryApi } from './support/registryApi';
import { journeyWindow } from './support/journeyWindow';
import { JOURNEY_SETTINGS } from './support/settings';
import { childLabels, findRow } from './support/treeWalk';
import { conversionsStatusItem, openRepository, siblingPosition, waitUntil } from './support/ui';

const SAMPLE_REPOSITORIES = [
  'samples/arm64-only',
  'samples/auto',
  'samples/docker-v2',
  'samples/hello',
  'samples/many-tags',
  'samples/multiarch',
  'samples/signed',
];

describe('journeys: browsing the registry', function () {
  const window = journeyWindow((emulator) => ({ emulator, settings: JOURNEY_SETTINGS }));
  let vscode: VsCode | undefined;
  let api: RegistryApi;
  let registry: string;

  before(() => {
    const running = window();
    ({ vscode, api } = running);
    registry = running.emulator.loginServer;
  });

  it('1. shows the registry, repositories Active/Inactive and tags with their badges', async () => {
    const vs = vscode!;
    await vs.openView();
    await vs.findTreeItem(registry, { timeout: 90_000 });
    await vs.expand(registry);

    // Every seeded repository is listed under the registry, auto-conversion state as description.
    const auto = await vs.waitForTreeRow([registry, 'samples/auto'], (r) => r.description !== '');
    assert.equal(auto.description, 'Active');
    const hello = await vs.waitForTreeRow([registry, 'samples/hello'], (r) => r.description !== '');
    assert.equal(hello.description, 'Inactive');
    const rows = await vs.treeRows();
    const registryRow = rows.find((r) => r.label === registry)!;
    const repositories = rows.filter((r) => r.level === registryRow.level + 1).map((r) => r.label);
    assert.deepEqual([...repositories].sort(), SAMPLE_REPOSITORIES);
    for (const name of ['samples/multiarch', 'samples/signed', 'samples/many-tags']) {
      const row = await vs.waitForTreeRow([registry, name], (r) => r.description !== '');
      assert.equal(row.description, 'Inactive', name);
    }

    // Tags carry their badge once it has loaded ('…' while loading).
    await openRepository(vs, registry, 'samples/hello');
    for (const tag of ['1.0', '1.1', '2.0', 'latest']) {
      const row = await vs.waitForTreeRow([registry, 'samples/hello', tag], (r) => r.description !== '…');
      assert.equal(row.description, 'not converted', `samples/hello:${tag}`);
    }
    await vs.screenshot('journey-1-tree-hello');

    await vs.collapse([registry, 'samples/hello']);
    await openRepository(vs, registry, 'samples/arm64-only');
    const arm = await vs.waitForTreeRow([registry, 'samples/arm64-only', '1.0'], (r) => r.description !== '…');
    assert.match(arm.description, /^not convertible: .*arm64/);
    assert.equal(arm.icon, 'circle-slash');
    const tooltip = await vs.treeItemTooltip([registry, 'samples/arm64-only', '1.0']);
    assert.match(tooltip, /samples\/arm64-only:1\.0/);
    assert.match(tooltip, /not convertible/);
    assert.match(tooltip, /linux\/arm64/, 'the tooltip names the platforms the image has');
    assert.match(tooltip, /linux\/amd64/, 'the tooltip names the platform ACR converts');
    await vs.screenshot('journey-1-tree-arm64-only');
  });

  it('5. an arm64-only tag says why it cannot be converted, and Create is refused with that reason', async () => {
    const vs = vscode!;
    const tag = [registry, 'samples/arm64-only', '1.0'];
    await vs.openView();
    await openRepository(vs, registry, 'samples/arm64-only');
    await vs.waitForTreeRow(tag, (r) => r.description.startsWith('not convertible'));

    // The tree does not even offer the conversion for it.
    const entries = await vs.contextMenuEntries(tag);
    assert.ok(entries.includes('Show Referrers'), `menu: ${entries.join(' | ')}`);
    assert.ok(!entries.includes('Create Streaming Artifact'), `menu: ${entries.join(' | ')}`);

    // From the palette, picking the image by hand: refused with the reason, nothing sent.
    await vs.runCommand('Create Streaming Artifact');
    await vs.quickPick(registry);
    await vs.quickPick('samples/arm64-only');
    await vs.quickPick('1.0');
    // Match the refusal itself: the "Creating … samples/arm64-only:1.0" progress toast names the image too.
    const toast = await vs.waitForNotification(/samples\/arm64-only:1\.0[^\n]*linux\/arm64|linux\/arm64[^\n]*samples\/arm64-only:1\.0/, 60_000);
    const message = (await toast.locator('.notification-list-item-message').innerText()).trim();
    assert.match(message, /linux\/arm64/, message);
    assert.match(message, /linux\/amd64|platform/i, message);
    // The "Creating…" progress toast is gone once the refusal is shown.
    await vs.page.locator('.notification-toast', { hasText: 'Creating the streaming artifact' }).waitFor({ state: 'detached' });
    await vs.screenshot('journey-5-refused');

    assert.equal(await conversionsStatusItem(vs.page).count(), 0, 'no conversion in the status bar');
    assert.equal(await api.lastOperation('samples/arm64-only', '1.0'), undefined, 'the registry has no operation for the image');
    const after = await vs.waitForTreeRow(tag, (r) => r.description !== '…');
    assert.match(after.description, /^not convertible/);
    await toast.locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => undefined);
  });

  it('6. pages through the 1,500-tag repository with "Load more…"', async () => {
    const vs = vscode!;
    const repo = [registry, 'samples/many-tags'];
    await vs.openView();
    await vs.expand(registry);
    await vs.collapse([registry, 'samples/arm64-only']);
    await openRepository(vs, registry, 'samples/many-tags');

    // The first page: pageSize (100) tags, then the "Load more…" node as the last child.
    let loadMore = await vs.findTreeItem([...repo, 'Load more…'], { timeout: 60_000 });
    assert.deepEqual(await siblingPosition(loadMore), { position: 101, of: 101 });
    await vs.screenshot('journey-6-first-page');
    const first = await childLabels(vs, 'samples/many-tags');
    assert.equal(first.length, 101);
    assert.equal(first[100], 'Load more…');
    const firstTags = first.slice(0, 100);
    for (const tag of firstTags) assert.match(tag, /^t\d{4}$/);
    assert.equal(new Set(firstTags).size, 100, 'distinct tags');

    // Clicking it appends the next page below the first one.
    loadMore = await findRow(vs, [...repo, 'Load more…']);
    await loadMore.click();
    await waitUntil(
      async () => siblingPosition(await findRow(vs, [...repo, 'Load more…'], 5_000)),
      (p) => p.of === 201,
      'the second page',
    );
    const rows = await childLabels(vs, 'samples/many-tags');
    assert.equal(rows.length, 201);
    const tags = rows.slice(0, 200);
    for (const tag of tags) assert.match(tag, /^t\d{4}$/);
    assert.equal(new Set(tags).size, 200, 'the second page brings 100 new tags');
    for (const tag of firstTags) assert.ok(tags.includes(tag), `${tag} of the first page is still listed`);
    const secondTags = tags.filter((tag) => !firstTags.includes(tag));
    assert.equal(rows[200], 'Load more…', 'more pages remain');
    await findRow(vs, [...repo, secondTags[99]]);
    await vs.screenshot('journey-6-second-page');
  });
});
