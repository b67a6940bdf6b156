/**
 * Reads a whole listing, page by page, through `PageCursors`: stops with an error on a repeated
 * page or a bound, checks for cancellation between pages, and drops entries already seen (a
 * registry whose pages overlap must not produce the same row twice).
 */
import type { Page } from '../models';
import { PageCursors, type CursorOptions } from './pageCursors';

export interface CollectOptions<T> extends CursorOptions {
  /** Identity of an entry; the first one with a key is kept. */
  key(item: T): string;
  /**
   * The address of the first page, when known, so a link straight back to it is caught. For an
   * SDK listing, a function asked once the first page has arrived (the SDK builds that URL).
   */
  first?: string | (() => string | undefined);
  /** After each page, with everything kept so far (progress reports). */
  onPage?(kept: number, pages: number): void;
}

/** `fetchPage(undefined)` is the first page; each page's `continuation` names the next. */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, options: CollectOptions<T>): Promise<T[]> {
  const cursors = new PageCursors(options);
  const first = typeof options.first === 'function' ? options.first() : options.first;
  if (first !== undefined) {
    cursors.remember(first);
  }
  const kept = new Map<string, T>();
  let cursor: string | undefined;
  do {
    cursors.enter(cursor);
    const page = await fetchPage(cursor);
    cursors.count(page.items.length);
    for (const item of page.items) {
      const key = options.key(item);
      if (!kept.has(key)) {
        kept.set(key, item);
      }
    }
    options.onPage?.(kept.size, cursors.pages);
    cursor = page.continuation;
  } while (cursor !== undefined);
  return [...kept.values()];
}

/**
 * The same over an Azure SDK `byPage()` iterator, which follows its own continuation tokens:
 * each page's token is checked (`checkToken` throws for a link that leaves the listing) and
 * looked up before the SDK is allowed to fetch it.
 */
export async function collectSdkPages<T>(
  pages: AsyncIterator<T[]>,
  tokenOf: (page: T[]) => string | undefined,
  checkToken: (token: string) => void,
  options: CollectOptions<T>,
): Promise<T[]> {
  const cursors = new PageCursors(options);
  const kept = new Map<string, T>();
  try {
    cursors.enter(undefined);
    let result = await pages.next();
    const first = typeof options.first === 'function' ? options.first() : options.first;
    if (first !== undefined) {
      cursors.remember(first);
    }
    while (!result.done) {
      cursors.count(result.value.length);
      for (const item of result.value) {
        const key = options.key(item);
        if (!kept.has(key)) {
          kept.set(key, item);
        }
      }
      options.onPage?.(kept.size, cursors.pages);
      const token = tokenOf(result.value);
      if (!token) {
        break;
      }
      checkToken(token);
      cursors.enter(token);
      result = await pages.next();
    }
  } finally {
    // Stopped early or not, the SDK's generator must not hold on to a half-read listing.
    await pages.return?.();
  }
  return [...kept.values()];
}
