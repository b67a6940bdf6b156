/**
 * ARM list paging: `{"value":[…],"nextLink":"<absolute url>"}`, the next page named by a
 * `$skipToken` query parameter (as ARM's own next links are). One page unless a size is set.
 */
export interface ArmPage<T> {
  value: T[];
  nextLink?: string;
}

const SKIP_TOKEN = '$skipToken';

export function armPage<T>(items: readonly T[], requestUrl: URL, armUrl: string, pageSize: number | undefined): ArmPage<T> {
  if (!pageSize || pageSize <= 0) {
    return { value: [...items] };
  }
  const skip = Math.max(0, Number.parseInt(requestUrl.searchParams.get(SKIP_TOKEN) ?? '0', 10) || 0);
  const value = items.slice(skip, skip + pageSize);
  if (skip + pageSize >= items.length) {
    return { value };
  }
  const next = new URL(`${armUrl}${requestUrl.pathname}`);
  for (const [key, val] of requestUrl.searchParams) {
    if (key !== SKIP_TOKEN) {
      next.searchParams.append(key, val);
    }
  }
  next.searchParams.set(SKIP_TOKEN, String(skip + pageSize));
  return { value, nextLink: next.toString() };
}
