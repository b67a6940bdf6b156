/**
 * The `paging` fault: where a broken registry's next-page link points, given the page that was
 * asked for and the link the emulator would have sent. Applies to ACR's `Link` header and to
 * ARM's `nextLink` alike (both are URLs; the cursor is `last` or `$skipToken`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PagingFaultMode } from './faultRule';
import { rewriteJsonReply } from './responseInterceptor';

const CURSOR_PARAMS = ['last', '$skipToken'];
export const FOREIGN_ORIGIN = 'https://elsewhere.invalid';

/** `requested` is the absolute URL of the page read; `original` the link as sent (absolute or relative), if any. */
export function brokenNextLink(mode: PagingFaultMode, requested: URL, original: string | undefined): string | undefined {
  const originalUrl = original === undefined ? undefined : new URL(original, requested);
  switch (mode) {
    case 'repeat':
      return requested.toString();
    case 'cycle': {
      if (!CURSOR_PARAMS.some((name) => requested.searchParams.has(name))) {
        return originalUrl?.toString(); // the first page keeps its real link, to B
      }
      const first = new URL(requested);
      CURSOR_PARAMS.forEach((name) => first.searchParams.delete(name));
      return first.toString();
    }
    case 'foreign-origin': {
      const target = originalUrl ?? requested;
      return `${FOREIGN_ORIGIN}${target.pathname}${target.search}`;
    }
    case 'foreign-path': {
      const target = originalUrl ?? requested;
      return `${target.origin}/elsewhere${target.pathname}${target.search}`;
    }
  }
}

/** Rewrites the reply about to be sent: ACR's `Link` header, or ARM's `nextLink` in a list body. */
export function breakNextLinks(res: ServerResponse, req: IncomingMessage, mode: PagingFaultMode, where: 'link-header' | 'arm-body'): void {
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const requested = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
  rewriteJsonReply(res, (status, headers, body) => {
    if (status < 200 || status >= 300) {
      return { headers, body };
    }
    if (where === 'arm-body') {
      const parsed = safeParse(body);
      if (!parsed || !Array.isArray(parsed.value)) {
        return { headers, body };
      }
      const next = brokenNextLink(mode, requested, typeof parsed.nextLink === 'string' ? parsed.nextLink : undefined);
      return { headers, body: JSON.stringify({ ...parsed, nextLink: next }) };
    }
    const name = Object.keys(headers).find((key) => key.toLowerCase() === 'link');
    const original = name === undefined ? undefined : /<([^>]*)>/.exec(String(headers[name]))?.[1];
    const next = brokenNextLink(mode, requested, original);
    const rest = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
    if (next === undefined) {
      return { headers: rest, body };
    }
    const url = new URL(next);
    // Relative on this host, as ACR sends it; absolute elsewhere.
    const target = url.origin === requested.origin ? `${url.pathname}${url.search}` : next;
    return { headers: { ...rest, Link: `<${target}>; rel="next"` }, body };
  });
}

function safeParse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
