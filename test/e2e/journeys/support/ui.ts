// Gestures the journeys need beyond the shared harness (test/e2e/support): running a context
// menu entry by keyboard, modal dialogs, the status bar item and the streaming panel's content.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { TreePath, VsCode } from '../../support';
import { escapeRegExp, exactText } from '../../support/text';

/**
 * Right-clicks the row at `path` and runs `entry` of its context menu by hovering it and
 * pressing Enter, then moves the mouse off the tree. (The harness's `contextMenu()` clicks the
 * entry; that click was seen closing the menu without running the command, while hover + Enter
 * always ran it. Keyboard activation does not depend on where the animated menu is drawn.)
 */
export async function runContextMenu(vs: VsCode, path: TreePath, entry: string): Promise<void> {
  const page = vs.page;
  const row = await vs.findTreeItem(path);
  await row.click({ button: 'right' });
  const items = page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
  await items.first().waitFor({ state: 'visible' });
  const item = items.filter({ hasText: exactText(entry) }).first();
  if ((await item.count()) === 0) {
    const offered = (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    await page.keyboard.press('Escape');
    throw new Error(`No "${entry}" in the context menu. Offered: ${offered.join(' | ') || '(none)'}`);
  }
  await item.hover();
  // The hovered entry becomes the focused one; Enter runs it.
  await page.locator('.context-view .monaco-menu .action-item.focused', { hasText: exactText(entry) }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' });
  await parkMouse(page);
}

/** Moves the mouse off the tree (to the editor area), so no row hover covers later screenshots. */
export async function parkMouse(page: Page): Promise<void> {
  const size = page.viewportSize();
  if (size) await page.mouse.move(size.width * 0.75, size.height * 0.5);
}

/**
 * The modal dialog (showWarningMessage with `modal: true`, VS Code's own prompts) whose text
 * contains `message`. A prompt without a detail shows its message as the detail, under the
 * product name, so the whole box is searched.
 */
export function dialog(page: Page, message: string | RegExp): Locator {
  const text = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
  return page.locator('.monaco-dialog-box').filter({ hasText: text });
}

/** Waits for the modal dialog and presses its button `button`. */
export async function answerDialog(page: Page, message: string | RegExp, button: string): Promise<void> {
  const box = dialog(page, message);
  await box.waitFor({ state: 'visible', timeout: 30_000 });
  await box.locator('.dialog-buttons .monaco-button', { hasText: exactText(button) }).click();
  await box.waitFor({ state: 'detached' });
}

/** The extension's status bar item ("$(sync~spin) N converting, P%"). */
export function conversionsStatusItem(page: Page): Locator {
  return page.locator('.statusbar .statusbar-item', { hasText: /\d+ converting, \d+%/ });
}

/** Waits until the conversions item is shown and returns its text. */
export async function waitForConversionsStatus(page: Page, timeout = 60_000): Promise<string> {
  const item = conversionsStatusItem(page).first();
  await item.waitFor({ state: 'visible', timeout });
  return (await item.innerText()).trim();
}

/** Waits until no conversion is shown in the status bar (the item hides when idle). */
export async function waitForConversionsIdle(page: Page, timeout = 120_000): Promise<void> {
  await conversionsStatusItem(page).first().waitFor({ state: 'hidden', timeout });
}

/** The streaming panel's editor tab (`Artifact Streaming` or similar), by the webview's view type. */
export function panelTab(page: Page): Locator {
  return page.locator('.tabs-container .tab', { hasText: /Streaming/i });
}

/** The panel's Operations card for `image` (e.g. `samples/hello:1.0`). */
export function operationCard(panel: FrameLocator, image: string): Locator {
  return panel.locator('li.operation').filter({ has: panel.locator('.op-title', { hasText: exactText(image) }) });
}

/** Selects a tab of the panel ("Operations" or "Referrers"). */
export async function selectPanelTab(panel: FrameLocator, tab: 'Operations' | 'Referrers'): Promise<void> {
  await panel.locator(`vscode-panel-tab#tab-${tab.toLowerCase()}`).click();
  await panel.locator(`vscode-panel-view#view-${tab.toLowerCase()}`).waitFor({ state: 'visible' });
}

/** Rows of the Referrers tab: artifact type (first line of the cell) and short digest. */
export async function referrerRows(panel: FrameLocator): Promise<Array<{ artifactType: string; digest: string }>> {
  const rows = panel.locator('table.referrers tbody tr');
  const count = await rows.count();
  const result: Array<{ artifactType: string; digest: string }> = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    result.push({
      artifactType: (await row.locator('td.ref-type > span').first().innerText()).trim(),
      digest: (await row.locator('td.ref-digest code').getAttribute('title')) ?? '',
    });
  }
  return result;
}

/** Polls `read` until `accept` holds (for values with no DOM event to wait on). */
export async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 60_000, every = 250): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = last === undefined ? (lastError instanceof Error ? lastError.message : String(lastError)) : JSON.stringify(last);
      throw new Error(`${what} did not happen within ${timeout} ms; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Position of a tree row among its siblings and how many siblings there are (aria-posinset/-setsize). */
export async function siblingPosition(row: Locator): Promise<{ position: number; of: number }> {
  const [position, of] = await Promise.all([row.getAttribute('aria-posinset'), row.getAttribute('aria-setsize')]);
  return { position: Number(position), of: Number(of) };
}

/** Dismisses every notification toast (so later journeys' toasts are not hidden behind old ones). */
export async function clearNotifications(vs: VsCode): Promise<void> {
  await vs.runCommand('Clear All Notifications');
  await vs.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

/**
 * Expands `registry` and then `repository` once the repository's Active/Inactive state has
 * arrived, so the repository row no longer changes under the journey. (Expanding earlier works
 * too: journey 7's reload does exactly that.)
 */
export async function openRepository(vs: VsCode, registry: string, repository: string): Promise<void> {
  await vs.expand(registry);
  await vs.waitForTreeRow([registry, repository], (r) => r.description !== '');
  await vs.expand([registry, repository]);
}
