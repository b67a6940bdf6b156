// Every child row of a tree node, read by paging the virtual list from top to bottom with the
// keyboard (the harness's treeRows() returns only the rows rendered now). Keyboard paging moves
// the focus only; it opens nothing (a "Load more…" row is not run).
import type { Locator, Page } from 'playwright-core';
import type { TreePath, TreeRow, VsCode } from '../../support';
import { exactText, type TextMatch } from '../../support/text';
import { describePath, renderedRows, resolvePath, treeRows, VIEW_CONTAINER_ID } from '../../support/tree';

function list(page: Page) {
  return page.locator(`[id="${VIEW_CONTAINER_ID}"] .monaco-list[role="tree"]`).first();
}

async function focusedIndex(page: Page): Promise<number | undefined> {
  const focused = list(page).locator('.monaco-list-row.focused').first();
  if ((await focused.count()) === 0) return undefined;
  return Number(await focused.getAttribute('data-index'));
}

const LIST = `[id="${VIEW_CONTAINER_ID}"] .monaco-list[role="tree"]`;

/** Moves the focus one page down; resolves once the list has followed (or at the end). */
async function pageDown(page: Page, from: number | undefined): Promise<void> {
  await page.keyboard.press('PageDown');
  await page
    .waitForFunction(
      ([selector, previous]) => {
        const row = document.querySelector(`${selector} .monaco-list-row.focused`);
        return row !== null && Number(row.getAttribute('data-index')) !== previous;
      },
      [LIST, from ?? -1] as const,
      { timeout: 1_000 },
    )
    .catch(() => undefined);
}

/**
 * The row at `path`, found by paging down from the top with the keyboard. Use instead of the
 * harness's findTreeItem() when the row's ancestors may be scrolled out of view: its mouse-wheel
 * scrolling moves a few rows per event whatever the delta, so "back to the top" never gets there.
 */
export async function findRow(vs: VsCode, path: TreePath, timeout = 30_000): Promise<Locator> {
  const page = vs.page;
  const segments: readonly TextMatch[] = Array.isArray(path) ? path : [path as TextMatch];
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = new Map<number, TreeRow>();
    await list(page).focus();
    await page.keyboard.press('Home');
    let last: number | undefined = -1;
    for (;;) {
      const rendered = await renderedRows(page);
      for (const row of rendered) seen.set(row.index, row);
      const hit = resolvePath([...seen.values()].sort((a, b) => a.index - b.index), segments);
      if (hit !== undefined && rendered.some((r) => r.index === hit)) {
        return treeRows(page)
          .and(page.locator(`[data-index="${hit}"]`))
          .filter({ has: page.locator('.label-name', { hasText: exactText(segments[segments.length - 1]) }) });
      }
      const at = await focusedIndex(page);
      if (at === last) break;
      last = at;
      await pageDown(page, at);
    }
    if (Date.now() > deadline) throw new Error(`Tree item ${describePath(path)} not found (paged through ${seen.size} rows)`);
    await page.waitForTimeout(250); // children may still be loading
  }
}

/** All rows of the view, in order, collected while paging through it; ends back at the top. */
export async function allRows(vs: VsCode, maxSteps = 200): Promise<TreeRow[]> {
  const page = vs.page;
  const seen = new Map<number, TreeRow>();
  await list(page).focus();
  await page.keyboard.press('Home');
  let last: number | undefined = -1;
  for (let step = 0; step < maxSteps; step++) {
    const at = await focusedIndex(page);
    for (const row of await renderedRows(page)) seen.set(row.index, row);
    if (at === last) break; // PageDown did not move: the end of the list
    last = at;
    await pageDown(page, at);
  }
  await page.keyboard.press('Home');
  return [...seen.values()].sort((a, b) => a.index - b.index);
}

/** Labels of the direct children of the (expanded) row labelled `parent`. */
export async function childLabels(vs: VsCode, parent: string): Promise<string[]> {
  const rows = await allRows(vs);
  const at = rows.findIndex((r) => r.label === parent);
  if (at < 0) throw new Error(`No row "${parent}" in the tree (rows read: ${rows.length})`);
  const level = rows[at].level;
  const children: string[] = [];
  for (let i = at + 1; i < rows.length && rows[i].level > level; i++) {
    if (rows[i].index !== rows[i - 1].index + 1) throw new Error(`Rows ${rows[i - 1].index}..${rows[i].index} were never rendered`);
    if (rows[i].level === level + 1) children.push(rows[i].label);
  }
  return children;
}
