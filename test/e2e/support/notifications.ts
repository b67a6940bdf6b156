// Notification toasts (showInformationMessage & co., and withProgress in the notification area).
import type { Locator, Page } from 'playwright-core';
import { describeText, escapeRegExp, type TextMatch } from './text';

function toasts(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}

/** Messages of the toasts shown now. */
export async function notifications(page: Page): Promise<string[]> {
  return (await toasts(page).locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

/** The toast whose message contains `message` (substring for strings); waits for it. */
export async function waitForNotification(page: Page, message: TextMatch, timeout = 30_000): Promise<Locator> {
  const text = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
  const toast = toasts(page).filter({ has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  try {
    await toast.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`No notification ${describeText(message)} within ${timeout} ms. Shown: ${(await notifications(page)).join(' | ') || '(none)'}`);
  }
  return toast;
}

/** Clicks a button (e.g. "Retry", "Open Log") of the toast showing `message`. */
export async function clickNotificationButton(page: Page, message: TextMatch, button: string): Promise<void> {
  const toast = await waitForNotification(page, message);
  await toast.locator('.monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).click();
}
