// Notification toasts (showInformationMessage & co., and withProgress in the notification area).
//
// A toast is a poor witness on its own: VS Code hides an info toast after 15 s, shows none while
// the notification center is open, and drops the toast (not the notification) when more than
// three arrive within 800 ms. So the page keeps a log of every notification message that was
// ever rendered, toast or center, and a wait accepts a message logged since it started as well
// as one shown now. A failed wait lists what was logged, which tells "never raised" from "shown
// and gone".
import type { Locator, Page } from 'playwright-core';
import { describeText, escapeRegExp, type TextMatch } from './text';

interface LoggedNotification {
  text: string;
  at: number;
}

declare global {
  interface Window {
    __acrNotificationLog?: LoggedNotification[];
  }
}

function toasts(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}

// Logs each message a notification row shows (rows are reused: a new text on a row counts).
const RECORDER = `(() => {
  const log = [];
  window.__acrNotificationLog = log;
  const shown = new WeakMap();
  const scan = () => {
    for (const element of document.querySelectorAll('.notification-list-item-message')) {
      const text = (element.textContent || '').trim();
      if (text && shown.get(element) !== text) {
        shown.set(element, text);
        log.push({ text, at: Date.now() });
      }
    }
  };
  new MutationObserver(scan).observe(document, { childList: true, subtree: true });
})();`;

/**
 * Starts the page's notification log (call before the first navigation; it survives reloads,
 * each page load keeping its own).
 */
export async function recordNotifications(page: Page): Promise<void> {
  // A string, not a function: the test runner's transpiler adds helpers the page does not have.
  await page.addInitScript(RECORDER);
}


/** Messages of the toasts shown now. */
export async function notifications(page: Page): Promise<string[]> {
  return (await toasts(page).locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

/** Notification messages rendered since `since` (epoch ms), oldest first. */
export async function loggedNotifications(page: Page, since = 0): Promise<LoggedNotification[]> {
  const log = await page.evaluate(() => window.__acrNotificationLog ?? []).catch(() => []);
  return log.filter((entry) => entry.at >= since);
}

/**
 * Waits for the notification whose message contains `message` (substring for strings): a toast
 * shown now, or one rendered since the wait started (`since`, default now) that VS Code has
 * hidden again. Returns the toast when it is still shown.
 */
export async function waitForNotification(page: Page, message: TextMatch, timeout = 30_000, since = Date.now()): Promise<Locator> {
  const text = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
  const toast = toasts(page).filter({ has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await toast.isVisible().catch(() => false)) return toast;
    if ((await loggedNotifications(page, since)).some((entry) => text.test(entry.text))) return toast;
    if (Date.now() >= deadline) break;
    await page.waitForTimeout(100);
  }
  // VS Code keeps a notification it did not toast (spam guard, center open) in the center.
  const center = await notificationCenterMessages(page);
  if (center.some((entry) => text.test(entry))) {
    console.warn(`      (notification ${describeText(message)} is in the notification center but was never shown as a toast)`);
    return toast;
  }
  const shown = (await notifications(page)).join(' | ') || '(none)';
  const logged = (await loggedNotifications(page, since - 60_000)).map((entry) => `${new Date(entry.at).toISOString().slice(11, 23)} ${entry.text}`);
  throw new Error(
    `No notification ${describeText(message)} within ${timeout} ms (since ${new Date(since).toISOString().slice(11, 23)}). Shown: ${shown}. Rendered in the minute before: ${logged.join(' | ') || '(none)'}. In the notification center: ${center.join(' | ') || '(none)'}`,
  );
}

/** Messages in the notification center, read by opening it from the status bar bell and closing it again. */
export async function notificationCenterMessages(page: Page): Promise<string[]> {
  const bell = page.locator('[id="status.notifications"] a').first();
  const center = page.locator('.notifications-center');
  try {
    if (!(await center.isVisible())) await bell.click({ timeout: 5_000 });
    await center.waitFor({ state: 'visible', timeout: 5_000 });
    const messages = (await center.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
    await bell.click({ timeout: 5_000 });
    return messages;
  } catch {
    return [];
  }
}

/** Clicks a button (e.g. "Retry", "Open Log") of the toast showing `message`. */
export async function clickNotificationButton(page: Page, message: TextMatch, button: string): Promise<void> {
  const text = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
  const toast = toasts(page).filter({ has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  try {
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new Error(`No notification ${describeText(message)} to click "${button}" on. Shown: ${(await notifications(page)).join(' | ') || '(none)'}`);
  }
  await toast.locator('.monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).click();
}
