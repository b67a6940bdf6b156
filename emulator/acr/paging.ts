/**
 * ACR's paging: `n` and `last` in, `Link: </acr/v1/…?last=X&n=N[&orderby=…]>; rel="next"` out
 * (a relative URL, as ACR sends it).
 */

export type OrderBy = 'timedesc' | 'timeasc' | undefined;

export interface PageRequest {
  n: number;
  last?: string;
  orderby: OrderBy;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function readPageRequest(url: URL): PageRequest | { error: string } {
  const rawN = url.searchParams.get('n');
  let n = DEFAULT_PAGE_SIZE;
  if (rawN !== null && rawN !== '') {
    n = Number(rawN);
    if (!Number.isInteger(n) || n < 1) {
      return { error: `invalid page size n=${rawN}` };
    }
    n = Math.min(n, MAX_PAGE_SIZE);
  }
  const orderby = url.searchParams.get('orderby') ?? '';
  return {
    n,
    last: url.searchParams.get('last') || undefined,
    orderby: orderby === 'timedesc' || orderby === 'timeasc' ? orderby : undefined,
  };
}

/**
 * One page of `items` (already in order), resuming after the item whose key is `last`. When
 * `last` is gone from the list, a key-ordered list resumes at the next greater key and a
 * time-ordered one starts over (it cannot be placed): items may repeat, none is skipped.
 */
export function takePage<T>(items: readonly T[], key: (item: T) => string, request: PageRequest): { page: T[]; next?: string } {
  let start = 0;
  if (request.last !== undefined) {
    const index = items.findIndex((item) => key(item) === request.last);
    if (index >= 0) {
      start = index + 1;
    } else if (request.orderby === undefined) {
      const last = request.last;
      start = items.findIndex((item) => key(item) > last);
      start = start < 0 ? items.length : start;
    }
  }
  const page = items.slice(start, start + request.n);
  const more = start + request.n < items.length;
  return { page, next: more && page.length > 0 ? key(page[page.length - 1]) : undefined };
}

export function linkHeader(path: string, next: string, request: PageRequest): string {
  const query = new URLSearchParams({ last: next, n: String(request.n) });
  if (request.orderby) {
    query.set('orderby', request.orderby);
  }
  return `<${path}?${query.toString()}>; rel="next"`;
}

/** Sorts by time (then key, so pages are stable); by key when no order is asked. */
export function sortForListing<T>(items: readonly T[], key: (item: T) => string, time: (item: T) => string, orderby: OrderBy): T[] {
  const byKey = (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const sorted = [...items];
  if (orderby === 'timedesc') {
    sorted.sort((a, b) => (time(a) < time(b) ? 1 : time(a) > time(b) ? -1 : byKey(a, b)));
  } else if (orderby === 'timeasc') {
    sorted.sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : byKey(a, b)));
  } else {
    sorted.sort(byKey);
  }
  return sorted;
}
