/** Paging of every listing: cursors, bounds, link checks, errors. */
export { collectPages, collectSdkPages, type CollectOptions } from './collectPages';
export { checkedLink, linkTarget, nextLink, type LinkScope } from './nextLink';
export { DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES, normalizeCursor, PageCursors, type CursorOptions, type PagingLimits } from './pageCursors';
export { foreignLinkError, isPagingError, PagingError, repeatedPageError, tooManyItemsError, tooManyPagesError, type ListingName, type PagingFault } from './pagingErrors';
