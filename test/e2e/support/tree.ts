// The extension's tree as a person sees it: rows found by their label (or a path of labels from
// an ancestor down), scrolled into view when the list is longer than the window.
import type { Locator, Page } from 'playwright-core';
import { describeText, exactText, type TextMatch } from './text';

export const VIEW_CONTAINER_ID = 'workbench.view.extension.acrStreaming';

/** One label, or labels from an ancestor down to the row (each a direct child of the previous). */
export type TreePath = TextMatch | readonly TextMatch[];

export interface TreeRow {
  /** Position in the flattened tree (data-index); changes when rows above expand or collapse. */
  index: number;
  /** 1 for top-level rows. */
  level: number;
  label: string;
  description: string;
  /** `true`/`false` for collapsible rows, `undefined` for leaves. */
  expanded: boolean | undefined;
  /** The row's ThemeIcon id (e.g. `pass`, `sync~spin`), when it has one. */
  icon: string | undefined;
}

/** Rows of the container (or of one of its views, by view name). */
export function treeRows(page: Page, view?: string): Locator {
  let scope = page.locator(`[id="${VIEW_CONTAINER_ID}"]`);
  if (view) scope = scope.locator('.pane').filter({ has: page.locator('.pane-header .title', { hasText: exactText(view) }) });
  return scope.locator('.monaco-list-row[role="treeitem"]');
}

/** Live locator of the rows labelled `label` (use for waits and assertions). */
export function treeItem(page: Page, label: TextMatch, view?: string): Locator {
  return treeRows(page, view).filter({ has: page.locator('.label-name', { hasText: exactText(label) }) });
}

/** What the row at `locator` shows now. */
export async function rowInfo(row: Locator): Promise<TreeRow> {
  return row.evaluate(readRow);
}

/** The rows rendered right now, in tree order. */
export async function renderedRows(page: Page, view?: string): Promise<TreeRow[]> {
  const rows = await treeRows(page, view).evaluateAll(readRows());
  return rows.sort((a, b) => a.index - b.index);
}

/**
 * Finds the row at `path`, scrolling the list if it is not rendered, and waiting while children
 * load. Returns a locator pinned to that row (and to its label, so it cannot silently point at
 * another row if the tree changes underneath).
 */
export async function findTreeItem(page: Page, path: TreePath, options: { view?: string; timeout?: number } = {}): Promise<Locator> {
  const segments: readonly TextMatch[] = Array.isArray(path) ? path : [path as TextMatch];
  const deadline = Date.now() + (options.timeout ?? 30_000);
  const seen = new Map<number, TreeRow>();
  for (;;) {
    const rendered = await renderedRows(page, options.view);
    for (const row of rendered) seen.set(row.index, row);
    const hit = resolvePath([...seen.values()].sort((a, b) => a.index - b.index), segments);
    if (hit !== undefined && rendered.some((r) => r.index === hit)) {
      return treeRows(page, options.view)
        .and(page.locator(`[data-index="${hit}"]`))
        .filter({ has: page.locator('.label-name', { hasText: exactText(segments[segments.length - 1]) }) });
    }
    if (Date.now() > deadline) {
      const visible = rendered.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.description ? ` (${r.description})` : ''}`);
      throw new Error(`Tree item ${segments.map(describeText).join(' > ')} not found. Rows shown:\n${visible.join('\n') || '(none)'}`);
    }
    const scroll = await scrollState(page, options.view);
    if (scroll && scroll.canScrollDown && hit === undefined) {
      await wheel(page, options.view, scroll.pageHeight * 0.8);
    } else if (scroll && scroll.scrolled && (hit !== undefined || !scroll.canScrollDown)) {
      // Past the end (or past the row): start again from the top with fresh rows.
      await wheel(page, options.view, -1_000_000);
      seen.clear();
    } else {
      await page.waitForTimeout(200); // children still loading: poll again
    }
  }
}

/** Index of the row matching `segments` (first anywhere, the rest as direct children), if any. */
export function resolvePath(rows: readonly TreeRow[], segments: readonly TextMatch[]): number | undefined {
  const matchers = segments.map(exactText);
  const chain: TreeRow[] = [];
  for (const row of rows) {
    while (chain.length > 0 && chain[chain.length - 1].level >= row.level) chain.pop();
    const expectedLevel = chain.length === 0 ? row.level : chain[chain.length - 1].level + 1;
    if (chain.length < matchers.length && row.level === expectedLevel && matchers[chain.length].test(row.label)) {
      chain.push(row);
      if (chain.length === matchers.length) return row.index;
    }
  }
  return undefined;
}

export async function setExpanded(page: Page, path: TreePath, expanded: boolean, view?: string): Promise<Locator> {
  const row = await findTreeItem(page, path, { view });
  if ((await row.getAttribute('aria-expanded')) === null) throw new Error(`Tree item ${describePath(path)} cannot be expanded`);
  if ((await row.getAttribute('aria-expanded')) !== String(expanded)) {
    await row.locator('.monaco-tl-twistie').click();
  }
  await row.and(page.locator(`[aria-expanded="${expanded}"]`)).waitFor();
  // The twistie spins while getChildren() runs.
  await row.locator('.monaco-tl-twistie.codicon-tree-item-loading').waitFor({ state: 'detached' });
  return row;
}

export function describePath(path: TreePath): string {
  return (Array.isArray(path) ? path : [path as TextMatch]).map(describeText).join(' > ');
}

interface ScrollState {
  canScrollDown: boolean;
  scrolled: boolean;
  pageHeight: number;
}

async function scrollState(page: Page, view?: string): Promise<ScrollState | undefined> {
  const list = treeList(page, view);
  if ((await list.count()) === 0) return undefined;
  return list.evaluate((el) => {
    const track = el.querySelector(':scope > .monaco-scrollable-element > .scrollbar.vertical');
    const slider = track?.querySelector('.slider') as HTMLElement | null;
    const height = el.getBoundingClientRect().height;
    if (!track || !slider) return { canScrollDown: false, scrolled: false, pageHeight: height };
    const top = parseFloat(slider.style.top || '0');
    const sliderHeight = parseFloat(slider.style.height || '0');
    const trackHeight = (track as HTMLElement).getBoundingClientRect().height;
    return { canScrollDown: top + sliderHeight < trackHeight - 1, scrolled: top > 0, pageHeight: height };
  });
}

function treeList(page: Page, view?: string): Locator {
  let scope = page.locator(`[id="${VIEW_CONTAINER_ID}"]`);
  if (view) scope = scope.locator('.pane').filter({ has: page.locator('.pane-header .title', { hasText: exactText(view) }) });
  return scope.locator('.monaco-list[role="tree"]').first();
}

async function wheel(page: Page, view: string | undefined, deltaY: number): Promise<void> {
  await treeList(page, view).hover();
  await page.mouse.wheel(0, deltaY);
  await page.waitForTimeout(100); // let the virtual list render the new rows
}

/**
 * `els => els.map(readRow)` as one self-contained function: Playwright sends functions to the
 * page as source text, so readRow must be inlined, not referenced.
 */
function readRows(): (els: Element[]) => TreeRow[] {
  return new Function('els', `return els.map(${readRow.toString()});`) as (els: Element[]) => TreeRow[];
}

/** Runs in the page: the row element's state. Self-contained (it is serialised into the page). */
function readRow(el: Element): TreeRow {
  const expanded = el.getAttribute('aria-expanded');
  const iconEl = el.querySelector('.custom-view-tree-node-item-icon');
  const iconClass = iconEl ? Array.from(iconEl.classList).find((c) => c.startsWith('codicon-')) : undefined;
  return {
    index: Number(el.getAttribute('data-index')),
    level: Number(el.getAttribute('aria-level')),
    label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
    description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
    expanded: expanded === null ? undefined : expanded === 'true',
    icon: iconClass?.slice('codicon-'.length),
  };
}
