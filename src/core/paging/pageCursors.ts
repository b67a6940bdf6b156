/**
 * The cursors of one listing, page by page: a cursor already read means the registry went round
 * in a circle, so reading stops with an error instead of looping (or showing rows twice). Also
 * bounds the number of pages and entries, and checks for cancellation before each page.
 */
import { throwIfAborted } from '../badge/abort';
import { repeatedPageError, tooManyItemsError, tooManyPagesError, type ListingName } from './pagingErrors';

export const DEFAULT_MAX_PAGES = 1_000;
export const DEFAULT_MAX_ITEMS = 100_000;

export interface PagingLimits {
  maxPages?: number;
  maxItems?: number;
  signal?: AbortSignal;
}

export interface CursorOptions extends ListingName, PagingLimits {
  /** Relative cursors resolve against it, so `/a?x` and `https://host/a?x` are the same page. */
  base?: string;
}

const OPAQUE_BASE = 'http://cursor.invalid/';

/** One spelling per page: resolved, path decoded, query parameters sorted. Opaque tokens stay as they are. */
export function normalizeCursor(cursor: string, base = OPAQUE_BASE): string {
  try {
    const url = new URL(cursor, base);
    url.searchParams.sort();
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // keep it encoded: still one spelling
    }
    return `${url.origin.toLowerCase()}${path}${url.search}`;
  } catch {
    return cursor;
  }
}

export class PageCursors {
  private readonly seen = new Set<string>();
  private pageCount = 0;
  private itemCount = 0;
  private readonly maxPages: number;
  private readonly maxItems: number;

  constructor(private readonly options: CursorOptions) {
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  }

  get pages(): number {
    return this.pageCount;
  }

  /** Whether the page at `cursor` was read already. */
  has(cursor: string): boolean {
    return this.seen.has(normalizeCursor(cursor, this.options.base));
  }

  /** Marks a page as read without counting it (the first page's own address, when it is known). */
  remember(cursor: string): void {
    this.seen.add(normalizeCursor(cursor, this.options.base));
  }

  /** Call before reading a page; `cursor` undefined is the first page. Throws on a repeat, a bound or cancellation. */
  enter(cursor: string | undefined): void {
    throwIfAborted(this.options.signal);
    if (cursor !== undefined) {
      const key = normalizeCursor(cursor, this.options.base);
      if (this.seen.has(key)) {
        throw repeatedPageError(this.options, this.pageCount);
      }
      this.seen.add(key);
    }
    if (this.pageCount >= this.maxPages) {
      throw tooManyPagesError(this.options, this.maxPages);
    }
    this.pageCount++;
  }

  /** Call with each page's entry count. */
  count(items: number): void {
    this.itemCount += items;
    if (this.itemCount > this.maxItems) {
      throw tooManyItemsError(this.options, this.maxItems);
    }
  }
}
