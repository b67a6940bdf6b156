/**
 * The webview bundle in a real browser (the installed Chromium, driven by playwright-core),
 * under the exact HTML shell and CSP the host serves, with a stub `acquireVsCodeApi`. No VS
 * Code, no jsdom: this is where the renderers, the CSP and the keyboard are checked.
 * Without a Chromium (set CHROMIUM_PATH to point at one) the suite is skipped on a developer's
 * machine but fails in CI (`CI=true`): a silent skip there would hide the webview's safety tests.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPanelHtml, createNonce } from '../../../src/panel/panelHtml';
import type { HostMessage, PanelState } from '../../../src/panel/protocol';
import { EMPTY_OPERATIONS_TEXT } from '../../../webview/render/operations';
import { DIGEST, HOSTILE, operationView, REQUEST, STREAMING_DIGEST } from '../../unit/panel/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const ORIGIN = 'https://webview.test';
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, process.env.ACR_STREAMING_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CHROMIUM = CHROMIUM_CANDIDATES.find((p): p is string => !!p && existsSync(p));
const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');
/** An image the CSP refuses (not the page's origin): its report is the sentinel that reports have arrived. */
const CSP_SENTINEL = 'https://csp-sentinel.invalid/sentinel.png';

interface PageGlobals {
  __posted: Array<{ type: string; [key: string]: unknown }>;
  __violations: string[];
  __state: unknown;
  __pwned: number;
}
declare const window: Window & PageGlobals;

const streamingReferrer = {
  artifactType: 'application/vnd.azure.artifact.streaming.v1',
  digest: STREAMING_DIGEST,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 1536,
  created: '2025-04-28T04:00:00Z',
  annotations: { 'streaming.format': 'overlaybd', [HOSTILE]: HOSTILE },
};

describe('webview page (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let script = '';
  const css = readFileSync(path.join(ROOT, 'media/panel.css'), 'utf8');

  before(async function () {
    if (!CHROMIUM) {
      if (IN_CI) {
        throw new Error(
          `No Chromium found (looked at ${CHROMIUM_CANDIDATES.filter(Boolean).join(', ')}): CI must run the webview safety tests. ` +
            'Install chromium or set CHROMIUM_PATH.',
        );
      }
      this.skip();
    }
    const result = await build({
      entryPoints: [path.join(ROOT, 'webview/main.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    script = result.outputFiles[0]?.text ?? '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
  });

  /** Opens the page as VS Code would serve it; `state` is what getState() returns. */
  async function open(state?: PanelState): Promise<Page> {
    assert.ok(browser);
    const page = await browser.newPage();
    const nonce = createNonce();
    const html = buildPanelHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/media/panel.css` });
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = route.request().url();
      if (url.endsWith('/dist/webview.js')) {
        return route.fulfill({ contentType: 'text/javascript', body: script });
      }
      if (url.endsWith('/media/panel.css')) {
        return route.fulfill({ contentType: 'text/css', body: css });
      }
      if (url.endsWith('/index.html')) {
        return route.fulfill({ contentType: 'text/html', body: html });
      }
      return route.fulfill({ status: 404, body: '' });
    });
    // A string, not a function: tsx compiles this file with esbuild's keepNames, whose `__name`
    // helper would not exist in the page. The shim covers the callbacks passed to evaluate().
    await page.addInitScript({
      content: `
        window.__name = (fn) => fn;
        window.__posted = [];
        window.__violations = [];
        window.__state = ${JSON.stringify(state ?? null)} ?? undefined;
        window.__pwned = 0;
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + (e.target && e.target.nodeName) + ' ' + e.sample));
        window.acquireVsCodeApi = () => ({
          postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
          getState: () => window.__state,
          setState: (s) => { window.__state = s; },
        });
      `,
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    return page;
  }

  async function send(page: Page, message: HostMessage | unknown): Promise<void> {
    await page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async function posted(page: Page): Promise<PageGlobals['__posted']> {
    return page.evaluate(() => window.__posted);
  }

  /**
   * The CSP violations reported so far, other than the sentinel's. Violation reports are queued
   * as tasks, so instead of sleeping this triggers one more (an image from a refused origin) and
   * waits for it: every violation caused before it has been reported by then.
   */
  async function violationsSettled(page: Page): Promise<string[]> {
    await page.evaluate((src) => {
      const img = document.createElement('img');
      img.src = src;
    }, CSP_SENTINEL);
    await page.waitForFunction((src) => window.__violations.some((v) => v.includes(src)), CSP_SENTINEL, { timeout: 5_000 });
    return (await page.evaluate(() => window.__violations)).filter((v) => !v.includes(CSP_SENTINEL));
  }

  /**
   * Waits until an image the page's origin answers 404 has failed: after it, the error handler of
   * any broken image inserted earlier (e.g. hostile `<img src=x onerror>` markup) has had its turn.
   */
  async function brokenImagesSettled(page: Page): Promise<void> {
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const img = document.createElement('img');
          img.addEventListener('error', () => resolve(), { once: true });
          img.src = src;
        }),
      `${ORIGIN}/x?sentinel`,
    );
  }

  /** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
  async function tabTo(page: Page, selector: string, max = 12): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
        return;
      }
    }
    assert.fail(`Tab never reached ${selector}`);
  }

  it('runs under the CSP with no violation, with the toolkit styled and the empty state shown', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [] } });
    await page.waitForSelector('.operations-view .empty:not([hidden])');
    assert.equal(await page.textContent('.operations-view .empty'), EMPTY_OPERATIONS_TEXT);
    // Exercise every component: a running card (buttons), then the Referrers tab (tag, table).
    await send(page, { type: 'operations', operations: [operationView()] });
    await send(page, { type: 'referrers', reveal: true, request: REQUEST, status: 'loading' });
    await send(page, { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [streamingReferrer] });
    await page.waitForSelector('table.referrers');
    const styled = await page.evaluate(() => {
      const button = document.querySelector('vscode-button');
      return !!customElements.get('vscode-button') && (button?.shadowRoot?.adoptedStyleSheets.length ?? 0) > 0;
    });
    assert.ok(styled, 'toolkit components are defined and styled through adopted stylesheets');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).marginTop), '0px', 'media/panel.css applied');
    assert.deepEqual(await violationsSettled(page), []);
    await page.close();
  });

  it('renders registry strings as text, never as markup', async () => {
    const page = await open();
    await send(page, {
      type: 'init',
      state: {
        operations: [operationView({ image: HOSTILE, details: HOSTILE, status: 'Failed', errorCode: 'UNKNOWN_ERROR', errorHint: HOSTILE, lastError: HOSTILE })],
        referrers: { request: { ...REQUEST, image: HOSTILE }, status: 'loaded', referrers: [streamingReferrer] },
      },
    });
    await page.waitForSelector('table.referrers', { state: 'attached' });
    const result = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      title: document.querySelector('.op-title')?.textContent,
      annotationKeys: [...document.querySelectorAll('dl.annotations dt')].map((e) => e.textContent),
      annotationValues: [...document.querySelectorAll('dl.annotations dd')].map((e) => e.textContent),
      pwned: window.__pwned,
    }));
    assert.equal(result.images, 0);
    assert.equal(result.scripts, 1);
    assert.equal(result.title, HOSTILE);
    assert.ok(result.annotationKeys.includes(HOSTILE));
    assert.ok(result.annotationValues.includes(HOSTILE));
    await brokenImagesSettled(page);
    assert.equal(await page.evaluate(() => window.__pwned), 0);
    // Markup run as markup would also have tried an inline handler, which the CSP reports.
    assert.deepEqual(await violationsSettled(page), []);
    await page.close();
  });

  it('shows progress, ticks the elapsed time once a second and announces status changes', async () => {
    const page = await open();
    const start = new Date(Date.now() - 65_000).toISOString();
    const running = operationView({ startTime: start, progress: 40, details: 'Conversion started' });
    await send(page, { type: 'init', state: { operations: [running] } });
    await page.waitForSelector('.operation');
    assert.equal(await page.getAttribute('[role=progressbar]', 'aria-valuenow'), '40');
    assert.equal(await page.evaluate(() => (document.querySelector('.progress-fill') as HTMLElement).style.width), '40%');
    const first = await page.textContent('.elapsed');
    assert.match(first ?? '', /^1m 0[5-6]s$/);
    await page.waitForFunction((before) => document.querySelector('.elapsed')?.textContent !== before, first, { timeout: 3000 });
    assert.equal(await page.textContent('vscode-panel-tab .count-badge'), '1');

    await send(page, { type: 'operations', operations: [{ ...running, status: 'Succeeded', progress: 100, updatedAt: new Date().toISOString() }] });
    await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent?.includes('Succeeded'));
    const after = await page.evaluate(() => ({
      cancelHidden: (document.querySelector('.op-actions vscode-button') as HTMLElement).hidden,
      valuenow: document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow'),
      badgeHidden: (document.querySelector('vscode-panel-tab .count-badge') as HTMLElement).hidden,
      status: document.querySelector('.op-status')?.textContent,
    }));
    assert.deepEqual(after, { cancelHidden: true, valuenow: '100', badgeHidden: true, status: 'Succeeded' });
    const frozen = await page.textContent('.elapsed');
    // A second, running operation restarts the ticker: once its time moves, a tick has passed
    // over the finished card too.
    const other = operationView({ key: 'k2', image: 'samples/other:2', startTime: start });
    await send(page, { type: 'operations', operations: [{ ...running, status: 'Succeeded', progress: 100, updatedAt: new Date().toISOString() }, other] });
    await page.waitForSelector('.operation:nth-child(2) .elapsed');
    const otherFirst = await page.textContent('.operation:nth-child(2) .elapsed');
    await page.waitForFunction((before) => document.querySelector('.operation:nth-child(2) .elapsed')?.textContent !== before, otherFirst, { timeout: 3000 });
    assert.equal(await page.textContent('.operation:nth-child(1) .elapsed'), frozen, 'a finished operation no longer ticks');
    await page.close();
  });

  it('cancels from the keyboard and shows why a cancel failed', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [operationView()] } });
    await page.waitForSelector('.operation');
    await tabTo(page, '.op-actions vscode-button:first-child');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'cancelOperation'));
    const cancel = (await posted(page)).find((m) => m.type === 'cancelOperation');
    assert.equal(cancel?.key, operationView().key);
    assert.equal(await page.textContent('.op-actions vscode-button:first-child'), 'Cancelling…');

    await send(page, { type: 'reply', requestId: cancel?.requestId, ok: false, error: { code: 'DENIED', message: 'No push permission.' } });
    await page.waitForSelector('.op-action-error:not([hidden])');
    assert.equal(await page.textContent('.op-action-error'), 'Cancel failed: No push permission.');
    assert.equal(await page.evaluate(() => document.querySelector('.op-actions vscode-button')?.hasAttribute('disabled')), false);
    await page.close();
  });

  it('keeps focus on a card button while updates stream in', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [operationView(), operationView({ key: 'k2', image: 'samples/other:2' })] } });
    await page.waitForSelector('.operation');
    await tabTo(page, '.operation:nth-child(2) vscode-button:nth-child(2)');
    for (let progress = 41; progress < 50; progress++) {
      await send(page, { type: 'operations', operations: [operationView({ progress }), operationView({ key: 'k2', image: 'samples/other:2', progress })] });
    }
    await page.waitForFunction(() => document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '49');
    assert.ok(await page.evaluate(() => document.activeElement?.matches('.operation:nth-child(2) vscode-button:nth-child(2)')));
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'showReferrers'));
    await page.close();
  });

  it('asks for referrers, switches tab, saves it in state, and restores it after a reload', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [operationView()] } });
    await page.waitForSelector('.operation');
    await page.click('.op-actions vscode-button:nth-child(2)');
    const request = (await posted(page)).find((m) => m.type === 'showReferrers');
    assert.equal(request?.digest, DIGEST);
    assert.equal(request?.repository, 'samples/hello');
    assert.equal(await page.getAttribute('vscode-panels', 'activeid'), 'tab-referrers');
    await page.waitForSelector('.ref-status .spinner');

    await send(page, { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [streamingReferrer] });
    await page.waitForSelector('table.referrers tbody tr');
    const row = await page.evaluate(() => [...document.querySelectorAll('table.referrers tbody td')].map((td) => td.textContent ?? ''));
    assert.match(row[0] ?? '', /application\/vnd\.azure\.artifact\.streaming\.v1.*Streaming/);
    assert.match(row[1] ?? '', /^sha256:cccccccccccc…Copy$/);
    assert.equal(row[2], '1.5 KiB');
    assert.match(row[3] ?? '', /2025/);
    // The announcer writes its text a moment later (so screen readers notice the change).
    await page.waitForFunction(() => /1 referrer of samples\/hello:1\.0/.test(document.querySelector('[role=status]')?.textContent ?? ''));

    const saved = (await page.evaluate(() => window.__state)) as PanelState;
    assert.equal(saved.tab, 'referrers');
    assert.equal(saved.referrers?.digest, DIGEST);
    await page.close();

    // A reloaded page: the tab comes back from state, and without referrers from the host it asks again.
    const reloaded = await open(saved);
    assert.equal(await reloaded.getAttribute('vscode-panels', 'activeid'), 'tab-referrers');
    await send(reloaded, { type: 'init', state: { operations: [] } });
    await reloaded.waitForFunction(() => window.__posted.some((m) => m.type === 'showReferrers'));
    assert.equal((await posted(reloaded)).find((m) => m.type === 'showReferrers')?.digest, DIGEST);
    await reloaded.close();
  });

  it('switches to the referrers a command asked for, and shows listing errors', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [] } });
    assert.equal(await page.getAttribute('vscode-panels', 'activeid'), 'tab-operations');
    await send(page, { type: 'referrers', reveal: true, request: REQUEST, status: 'loading' });
    await page.waitForFunction(() => document.querySelector('vscode-panels')?.getAttribute('activeid') === 'tab-referrers');
    await send(page, { type: 'referrers', request: REQUEST, status: 'error', error: { code: 'UNAUTHORIZED', message: 'Sign in again.' } });
    await page.waitForSelector('.ref-error');
    assert.equal(await page.textContent('.ref-error strong'), 'UNAUTHORIZED');
    assert.equal(await page.textContent('.ref-error p'), 'Sign in again.');
    await page.close();
  });

  it('ignores messages that do not pass the protocol', async () => {
    const page = await open();
    await send(page, { type: 'init', state: { operations: [] } });
    await page.waitForSelector('.operations-view .empty:not([hidden])');
    await send(page, { type: 'operations', operations: 'x' });
    await send(page, { type: 'operations', operations: [{ ...operationView(), status: 'Exploded' }] });
    await send(page, { type: 'operations', operations: [operationView()], extra: '<b>' });
    await send(page, { type: 'eval', code: 'window.__pwned = 3' });
    // Messages are handled in order: once a valid one sent after them has shown its effect, the
    // ones before had their turn. It leaves the operations alone, so it cannot hide a bad one.
    await send(page, { type: 'referrers', reveal: true, request: REQUEST, status: 'loading' });
    await page.waitForFunction(() => document.querySelector('vscode-panels')?.getAttribute('activeid') === 'tab-referrers');
    assert.equal(await page.locator('.operation').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), 0);
    await page.close();
  });
});
