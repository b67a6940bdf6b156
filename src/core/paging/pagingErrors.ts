/**
 * Errors of a listing whose pages cannot be trusted: a page that comes back, a link that leaves
 * the listing, a listing that never ends. All are INVALID_RESPONSE, named after the registry (or
 * service) and what was being listed, so the message says whose paging is broken.
 */
import { AcrStreamingError } from '../errors';

export type PagingFault = 'repeated-page' | 'foreign-link' | 'too-many-pages' | 'too-many-items';

/** Who answers and what is listed: `myreg.azurecr.io`, `the tags of samples/hello`. */
export interface ListingName {
  host: string;
  what: string;
}

export class PagingError extends AcrStreamingError {
  readonly fault: PagingFault;

  constructor(fault: PagingFault, message: string, hint: string) {
    super('INVALID_RESPONSE', message, { hint });
    this.name = 'PagingError';
    this.fault = fault;
  }
}

export function isPagingError(value: unknown): value is PagingError {
  return value instanceof PagingError;
}

const BROKEN_HINT = 'Its paging is broken, so the list would never end; what was read so far is incomplete. Try again later, and report it to whoever runs the registry if it persists.';

export function repeatedPageError(listing: ListingName, pages: number): PagingError {
  return new PagingError(
    'repeated-page',
    `${listing.host} repeated a page while listing ${listing.what} (the paging link points back to a page already read); stopped after ${pages} ${pages === 1 ? 'page' : 'pages'}.`,
    BROKEN_HINT,
  );
}

/** `where` says where the link went (an origin or a path), never its query, which may carry tokens. */
export function foreignLinkError(listing: ListingName, where: string): PagingError {
  return new PagingError(
    'foreign-link',
    `${listing.host} sent a paging link that leaves ${listing.what} (it points to ${where.slice(0, 200)}); it was not followed.`,
    'A next-page link must stay on the same registry and the same listing. If a proxy sits in between, check that it does not rewrite links.',
  );
}

export function tooManyPagesError(listing: ListingName, maxPages: number): PagingError {
  return new PagingError('too-many-pages', `${listing.host} kept sending pages while listing ${listing.what}; stopped after ${maxPages} pages.`, BROKEN_HINT);
}

export function tooManyItemsError(listing: ListingName, maxItems: number): PagingError {
  return new PagingError(
    'too-many-items',
    `${listing.host} sent more than ${maxItems} entries while listing ${listing.what}; stopped there.`,
    'Lists this long are not read in full. If the registry really holds that many, narrow what you ask for; otherwise its paging is broken.',
  );
}
