// Webview content lives two frames deep: VS Code's host iframe (pre/index.html) holds the
// extension's document in an inner iframe whose id becomes `active-frame` once it has loaded.
import type { Frame, FrameLocator, Page } from 'playwright-core';

/** Auto-waiting locator root for the visible webview (use for clicks and assertions). */
export function webview(page: Page): FrameLocator {
  return page
    .locator('iframe.webview.ready')
    .filter({ visible: true })
    .first()
    .contentFrame()
    .locator('#active-frame')
    .contentFrame();
}

/** The visible webview's document as a Frame (for `evaluate` and friends). */
export async function webviewFrame(page: Page, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const outer of page.frames()) {
      if (!outer.url().includes('/webview/browser/pre/index.html')) continue;
      const host = await outer.frameElement().catch(() => undefined);
      if (!host || !(await host.isVisible().catch(() => false))) continue;
      for (const inner of outer.childFrames()) {
        const element = await inner.frameElement().catch(() => undefined);
        if (element && (await element.getAttribute('id').catch(() => null)) === 'active-frame') {
          await inner.waitForLoadState('domcontentloaded');
          return inner;
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`No visible webview within ${timeout} ms`);
    await page.waitForTimeout(200);
  }
}
