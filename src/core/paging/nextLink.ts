/**
 * The next page of a registry listing, from `Link: <…>; rel="next"`. A link may be relative or
 * absolute; either way it must stay on the registry's origin and on the listing's own path:
 * following it elsewhere would send our credentials to another host, or mix another listing
 * into this one. Such a link is refused with an error, never silently dropped.
 */
import type { HttpReply } from '../http/transport';
import { foreignLinkError, type ListingName } from './pagingErrors';

export interface LinkScope extends ListingName {
  /** `https://myreg.azurecr.io`: where the listing was read. */
  origin: string;
  /** The listing's path, e.g. `/acr/v1/samples/hello/_tags`: the next page must have the same. */
  path: string;
  /** Azure Resource Manager paths are case-insensitive. */
  caseInsensitive?: boolean;
}

/** The target of the `rel="next"` entry of a Link header (several entries may share one header). */
export function linkTarget(header: string | undefined): string | undefined {
  if (!header) {
    return undefined;
  }
  for (const entry of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    const rels = match?.[2]
      .split(';')
      .map((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1])
      .filter((rel) => rel !== undefined)
      .flatMap((rel) => rel.toLowerCase().split(/\s+/));
    if (match && rels?.includes('next')) {
      return match[1];
    }
  }
  return undefined;
}

/** Resolves `target` against the listing and checks it stays there; throws a PagingError otherwise. */
export function checkedLink(target: string, scope: LinkScope): URL {
  const listing = new URL(scope.path, scope.origin);
  let url: URL;
  try {
    url = new URL(target, listing);
  } catch {
    throw foreignLinkError(scope, 'an address that is not a URL');
  }
  if (url.origin !== listing.origin) {
    throw foreignLinkError(scope, url.origin);
  }
  if (!samePath(url.pathname, listing.pathname, scope.caseInsensitive === true)) {
    throw foreignLinkError(scope, url.pathname);
  }
  return url;
}

/** The next page's path and query, or undefined when there is no next page. */
export function nextLink(reply: HttpReply, scope: LinkScope): string | undefined {
  const target = linkTarget(reply.headers.get('link'));
  if (target === undefined || target === '') {
    return undefined;
  }
  const url = checkedLink(target, scope);
  return `${url.pathname}${url.search}`;
}

function samePath(a: string, b: string, caseInsensitive: boolean): boolean {
  const left = decoded(a);
  const right = decoded(b);
  return caseInsensitive ? left.toLowerCase() === right.toLowerCase() : left === right;
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
