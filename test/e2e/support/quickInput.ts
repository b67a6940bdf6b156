// The command palette and the quick input widget (input boxes and quick picks share it).
import type { Locator, Page } from 'playwright-core';
import { describeText, escapeRegExp, exactText, type TextMatch } from './text';

const WIDGET = '.quick-input-widget';

export function quickInputBox(page: Page): Locator {
  return page.locator(`${WIDGET} .quick-input-box input`);
}

function quickPickRows(page: Page): Locator {
  return page.locator(`${WIDGET} .quick-input-list .monaco-list-row`);
}

/** Runs a command by its title as the palette shows it ("Title" or "Category: Title"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Exact title, with or without the category the palette puts in front.
  const label = new RegExp(`^\\s*(?:[^:]+: )?${escapeRegExp(title)}\\s*$`);
  const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    const offered = await quickPickRows(page).locator('.label-name').allTextContents();
    await page.keyboard.press('Escape');
    throw new Error(`No command titled "${title}" in the palette. Offered: ${offered.join(' | ') || '(none)'}`);
  }
  await row.click();
  // The command may open its own quick input at once; wait until the palette's text is gone so
  // that a following quickInput() types into the command's box, not the palette.
  await page.waitForFunction((selector) => {
    const widget = document.querySelector<HTMLElement>(selector);
    if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return true;
    const box = widget.querySelector<HTMLInputElement>('.quick-input-box input');
    return !box || !box.value.startsWith('>');
  }, WIDGET);
}

/**
 * Types `text` into the open input box (or quick pick filter) and presses Enter. Throws with the
 * validation message if the input does not accept it.
 */
export async function quickInput(page: Page, text: string, options: { timeout?: number } = {}): Promise<void> {
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible', timeout: options.timeout ?? 30_000 });
  await input.fill(text);
  await input.press('Enter');
  try {
    await page.waitForFunction(([selector, typed]) => {
      const widget = document.querySelector<HTMLElement>(selector);
      if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return true;
      const box = widget.querySelector<HTMLInputElement>('.quick-input-box input');
      return !box || box.value !== typed;
    }, [WIDGET, text] as const, { timeout: 10_000 });
  } catch {
    const message = await quickInputMessage(page);
    throw new Error(`The quick input did not accept ${JSON.stringify(text)}${message ? `: ${message}` : ''}`);
  }
}

/** The validation or prompt message under the quick input box. */
export async function quickInputMessage(page: Page): Promise<string> {
  const message = page.locator(`${WIDGET} .quick-input-message`);
  return (await message.count()) > 0 ? (await message.first().innerText()).trim() : '';
}

/** Labels of the items the open quick pick offers. */
export async function quickPickItems(page: Page): Promise<string[]> {
  await quickPickRows(page).first().waitFor({ state: 'visible' });
  return (await quickPickRows(page).locator('.label-name').allTextContents()).map((t) => t.trim());
}

/** Clicks the quick pick item with this label (for multi-select pickers: toggles it). */
export async function quickPick(page: Page, label: TextMatch): Promise<void> {
  const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(label) }) }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    const offered = await quickPickRows(page).locator('.label-name').allTextContents();
    throw new Error(`No quick pick item ${describeText(label)}. Offered: ${offered.join(' | ') || '(none)'}`);
  }
  await row.click();
}

/** Accepts a multi-select quick pick (its OK button). */
export async function quickPickAccept(page: Page): Promise<void> {
  // The action bar can hold more than OK (e.g. an empty "Custom" button in newer workbenches).
  await page.locator(`${WIDGET} .quick-input-action .monaco-button`, { hasText: exactText('OK') }).click();
}
