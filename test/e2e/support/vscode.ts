// A real VS Code (code-server) with the packaged extension, opened in Chromium, and the handful of
// gestures the journeys need: open the view, find/expand tree rows, menus, palette, inputs,
// notifications, webview, status bar, screenshots and logs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { clickNotificationButton, notifications, recordNotifications, waitForNotification } from './notifications';
import { quickInput, quickInputMessage, quickPick, quickPickAccept, quickPickItems, runCommand } from './quickInput';
import { codeServerScript, repoRoot, type CodeServerHandle, type CodeServerScript } from './scripts';
import { escapeRegExp, exactText, type TextMatch } from './text';
import { describePath, findTreeItem, renderedRows, rowInfo, setExpanded, treeItem, VIEW_CONTAINER_ID, type TreePath, type TreeRow } from './tree';
import { packagedVsix } from './vsix';
import { webview, webviewFrame } from './webview';

export const SCREENSHOT_DIR = path.join(repoRoot, '.build', 'e2e-screenshots');
export const VIEW_CONTAINER_TITLE = 'ACR Streaming';
/** `publisher.name` from package.json: the folder of the extension's log files. */
export const EXTENSION_ID = 'acr-streaming.acr-artifact-streaming';

/** What the harness needs of a running emulator (a subset of the emulator's handle). */
export interface EmulatorConnection {
  url: string;
  username: string;
  password: string;
  caCertPath?: string;
}

export interface StartVsCodeOptions {
  /** Configured as the only registry (`acrStreaming.registries`), with its credentials in the env. */
  emulator?: EmulatorConnection;
  /** Extra user settings; they win over the ones derived from `emulator`. */
  settings?: Record<string, unknown>;
  /** Extra environment of the extension host. */
  env?: Record<string, string>;
  /** Workspace folder to open; default a fresh empty temporary folder. */
  folder?: string;
  /** Use this .vsix instead of packaging the repository. */
  vsixPath?: string;
  viewport?: { width: number; height: number };
}

export interface VsCodeTimings {
  /** Packaging (0 when an earlier session of this run already packaged). */
  packageMs: number;
  /** code-server install check + extension install + server answering HTTP. */
  serverMs: number;
  /** Navigation until `.monaco-workbench` is there. */
  workbenchMs: number;
}

export async function startVsCode(options: StartVsCodeOptions = {}): Promise<VsCode> {
  let t = Date.now();
  const vsixPath = options.vsixPath ?? (await packagedVsix());
  const packageMs = Date.now() - t;

  const ownFolder = options.folder === undefined;
  const folder = options.folder ?? mkdtempSync(path.join(os.tmpdir(), 'acr-streaming-workspace-'));
  const settings: Record<string, unknown> = {
    ...(options.emulator ? { 'acrStreaming.registries': [options.emulator.url] } : {}),
    // VS Code's network layer replaces Node's CA list with the OS certificates, which drops
    // NODE_EXTRA_CA_CERTS; without this the emulator's self-signed certificate is refused.
    ...(options.emulator?.caCertPath ? { 'http.systemCertificates': false } : {}),
    ...options.settings,
  };
  const env: Record<string, string> = {
    ...(options.emulator ? { ACR_STREAMING_USERNAME: options.emulator.username, ACR_STREAMING_PASSWORD: options.emulator.password } : {}),
    ...(options.emulator?.caCertPath ? { NODE_EXTRA_CA_CERTS: options.emulator.caCertPath } : {}),
    ...options.env,
  };

  const script = await codeServerScript();
  t = Date.now();
  const server = await script.launchCodeServer({ vsixPath, folder, settings, env, log: (m) => console.log(`      ${m}`) });
  const serverMs = Date.now() - t;

  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await recordNotifications(page);
    const vscode = new VsCode(page, browser, server, script, folder, ownFolder);
    t = Date.now();
    // A busy machine can take more than the default 30 s to serve the workbench's first load.
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { timeout: 90_000 });
    await vscode.waitForWorkbench();
    vscode.timings = { packageMs, serverMs, workbenchMs: Date.now() - t };
    return vscode;
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    if (ownFolder) rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

export class VsCode {
  timings: VsCodeTimings = { packageMs: 0, serverMs: 0, workbenchMs: 0 };
  /** Errors the workbench page threw or logged (for diagnostics). */
  readonly pageErrors: string[] = [];
  private stopped = false;

  constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly server: CodeServerHandle,
    private readonly script: CodeServerScript,
    /** The workspace folder VS Code has open. */
    readonly folder: string,
    private readonly ownFolder: boolean,
  ) {
    page.on('pageerror', (err) => this.remember(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.remember(`console: ${msg.text()}`);
    });
  }

  get url(): string {
    return this.server.url;
  }

  get userDataDir(): string {
    return this.server.userDataDir;
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  }

  // ---- the view ----

  /** Shows the ACR Streaming container (clicks its activity bar entry unless it is already shown). */
  async openView(): Promise<void> {
    const entry = this.page.locator(`.activitybar .action-item a.action-label[aria-label^="${VIEW_CONTAINER_TITLE}"]`);
    // The entry appears once the extension's contributions are registered (can take seconds).
    await entry.waitFor({ state: 'visible', timeout: 90_000 });
    const container = this.page.locator(`[id="${VIEW_CONTAINER_ID}"]`);
    if (!(await container.isVisible())) {
      await entry.click();
      await this.parkMouse(); // the entry's hover would cover the view
    }
    await container.waitFor({ state: 'visible' });
  }

  /** Live locator of the tree rows labelled `label` (exact for strings). */
  treeItem(label: TextMatch, view?: string): Locator {
    return treeItem(this.page, label, view);
  }

  /** The row at `path`, scrolled into view; waits up to `timeout` for it to appear. */
  findTreeItem(path: TreePath, options: { view?: string; timeout?: number } = {}): Promise<Locator> {
    return findTreeItem(this.page, path, options);
  }

  /** Rows rendered now, in order, with label, description, level, expanded state and icon. */
  treeRows(view?: string): Promise<TreeRow[]> {
    return renderedRows(this.page, view);
  }

  /**
   * Waits until the row at `path` satisfies `condition` (e.g. its badge description reads
   * "streaming") and returns what it shows then.
   */
  async waitForTreeRow(path: TreePath, condition: (row: TreeRow) => boolean, options: { view?: string; timeout?: number } = {}): Promise<TreeRow> {
    const deadline = Date.now() + (options.timeout ?? 60_000);
    let last: TreeRow | undefined;
    for (;;) {
      const remaining = deadline - Date.now();
      try {
        const row = await findTreeItem(this.page, path, { view: options.view, timeout: Math.max(remaining, 1) });
        last = await rowInfo(row);
        if (condition(last)) return last;
      } catch (err) {
        // The row may be re-rendered between finding and reading it; only give up at the deadline.
        if (Date.now() >= deadline) throw err;
      }
      if (Date.now() >= deadline) {
        throw new Error(`Tree item ${describePath(path)} did not reach the expected state; last seen: ${JSON.stringify(last)}`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /** The hover (tooltip) text of the row at `path`. */
  async treeItemTooltip(path: TreePath, view?: string): Promise<string> {
    const row = await findTreeItem(this.page, path, { view });
    await row.locator('.monaco-icon-label').first().hover();
    const hover = this.page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
    await hover.waitFor({ state: 'visible' });
    const text = (await hover.innerText()).trim();
    await this.parkMouse();
    return text;
  }

  /** Expands the row and waits until its children have loaded. */
  expand(path: TreePath, view?: string): Promise<Locator> {
    return setExpanded(this.page, path, true, view);
  }

  collapse(path: TreePath, view?: string): Promise<Locator> {
    return setExpanded(this.page, path, false, view);
  }

  /** Clicks the row (selects it and runs its command, if it has one). */
  async clickTreeItem(path: TreePath, view?: string): Promise<void> {
    await (await findTreeItem(this.page, path, { view })).click();
  }

  /** Right-clicks the row and clicks `entry` in its context menu. */
  async contextMenu(path: TreePath, entry: string, view?: string): Promise<void> {
    const row = await findTreeItem(this.page, path, { view });
    await row.click({ button: 'right' });
    const items = this.page.locator('.context-view .action-label');
    await items.first().waitFor({ state: 'visible' });
    const item = items.filter({ hasText: exactText(entry) });
    if ((await item.count()) === 0) {
      const offered = await this.visibleMenuEntries();
      await this.page.keyboard.press('Escape');
      throw new Error(`No "${entry}" in the context menu. Offered: ${offered.join(' | ') || '(none)'}`);
    }
    await item.first().click();
  }

  /** The entries of the row's context menu (the menu is closed again). */
  async contextMenuEntries(path: TreePath, view?: string): Promise<string[]> {
    const row = await findTreeItem(this.page, path, { view });
    await row.click({ button: 'right' });
    await this.page.locator('.context-view .action-label').first().waitFor({ state: 'visible' });
    const entries = await this.visibleMenuEntries();
    await this.page.keyboard.press('Escape');
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' }).catch(() => undefined);
    return entries;
  }

  /** Clicks an inline action (a `view/item/context` entry in group `inline`) of the row. */
  async treeItemAction(path: TreePath, title: string, view?: string): Promise<void> {
    const row = await findTreeItem(this.page, path, { view });
    await row.hover();
    await row.locator(actionByTitle(title)).first().click();
  }

  /** Clicks a button of the view's title bar (`view/title` menu), e.g. "Refresh". */
  async viewTitleAction(title: string): Promise<void> {
    await this.openView();
    const bar = this.page.locator('.part.sidebar .title-actions, .part.sidebar .pane-header .actions');
    await bar.locator(actionByTitle(title)).first().click();
  }

  /** The welcome content a view shows when it is empty (`viewsWelcome`). */
  welcomeView(): Locator {
    return this.page.locator(`[id="${VIEW_CONTAINER_ID}"] .welcome-view-content`);
  }

  // ---- palette and quick input ----

  runCommand(title: string): Promise<void> {
    return runCommand(this.page, title);
  }

  quickInput(text: string, options?: { timeout?: number }): Promise<void> {
    return quickInput(this.page, text, options);
  }

  quickInputMessage(): Promise<string> {
    return quickInputMessage(this.page);
  }

  quickPick(label: TextMatch): Promise<void> {
    return quickPick(this.page, label);
  }

  quickPickItems(): Promise<string[]> {
    return quickPickItems(this.page);
  }

  quickPickAccept(): Promise<void> {
    return quickPickAccept(this.page);
  }

  // ---- status bar and notifications ----

  /** Text of every status bar item, one per line. */
  async statusBarText(): Promise<string> {
    const items = await this.page.locator('.statusbar .statusbar-item').allInnerTexts();
    return items.map((t) => t.trim()).filter(Boolean).join('\n');
  }

  /** The status bar item whose text contains `text` (substring for strings). */
  statusBarItem(text: TextMatch): Locator {
    const match = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    return this.page.locator('.statusbar .statusbar-item', { hasText: match });
  }

  notifications(): Promise<string[]> {
    return notifications(this.page);
  }

  waitForNotification(message: TextMatch, timeout?: number): Promise<Locator> {
    return waitForNotification(this.page, message, timeout);
  }

  clickNotificationButton(message: TextMatch, button: string): Promise<void> {
    return clickNotificationButton(this.page, message, button);
  }

  // ---- webview ----

  /** Auto-waiting locator root inside the visible webview panel. */
  webview(): FrameLocator {
    return webview(this.page);
  }

  webviewFrame(timeout?: number): Promise<Frame> {
    return webviewFrame(this.page, timeout);
  }

  // ---- window, diagnostics, teardown ----

  /** Saves `.build/e2e-screenshots/<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Reloads the window (a new extension host starts, as with "Developer: Reload Window"). */
  async reloadWindow(): Promise<void> {
    await this.page.reload({ timeout: 90_000 });
    await this.waitForWorkbench();
  }

  /** The newest extension host log (activation errors land here). */
  exthostLog(): string {
    const file = this.script.findExthostLog(this.server.userDataDir);
    return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** The extension's own output channel logs (its LogOutputChannel folder, or channels named ACR…). */
  extensionLogs(): string {
    return this.script
      .findExtensionOutputLogs(this.server.userDataDir)
      .filter((file) => file.includes(`${path.sep}${EXTENSION_ID}${path.sep}`) || /ACR/i.test(path.basename(file)))
      .map((file) => `==> ${path.relative(this.server.userDataDir, file)} <==\n${readFileSync(file, 'utf8')}`)
      .join('\n');
  }

  /** What to print when a test failed: log tails and page errors. */
  diagnostics(lines = 60): string {
    const tail = (text: string) => this.script.tail(text, lines);
    return [
      `--- extension host log (${this.script.findExthostLog(this.server.userDataDir) ?? 'none yet'}) ---`,
      tail(this.exthostLog()),
      '--- extension logs ---',
      tail(this.extensionLogs()),
      '--- workbench page errors ---',
      this.pageErrors.slice(-20).join('\n') || '(none)',
      '--- code-server log ---',
      existsSync(this.server.logFile) ? tail(readFileSync(this.server.logFile, 'utf8')) : '(none)',
    ].join('\n');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (this.ownFolder) rmSync(this.folder, { recursive: true, force: true });
  }

  /** Moves the mouse to an empty spot of the editor area, where it shows no hover. */
  private async parkMouse(): Promise<void> {
    const size = this.page.viewportSize();
    if (size) await this.page.mouse.move(size.width * 0.75, size.height * 0.5);
  }

  private async visibleMenuEntries(): Promise<string[]> {
    return (await this.page.locator('.context-view .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  private remember(line: string): void {
    this.pageErrors.push(line);
    if (this.pageErrors.length > 200) this.pageErrors.shift();
  }
}

/** An action button by its title; VS Code may append the keybinding: "Refresh (Ctrl+R)". */
function actionByTitle(title: string): string {
  const quoted = JSON.stringify(title);
  const withKey = JSON.stringify(`${title} (`);
  return `.action-label[aria-label=${quoted}], .action-label[aria-label^=${withKey}]`;
}
