/**
 * Badges of every tag of `samples/many-tags` (1,500), the project's way against the az-style
 * baseline, in the same run against the same emulator with the same injected latency. Requests
 * are counted at the emulator, per run. Both walk the tag pages in the default page size and
 * report when the first page's badges were all known ("first 100 visible").
 */
import { BadgeService } from '../src/core/badge';
import { connect } from '../src/core/connect';
import type { RegistryConnection } from '../src/core/connection';
import { STREAMING_ARTIFACT_TYPE } from '../src/core/mediaTypes';
import { parseRegistry } from '../src/core/reference';
import { DEFAULTS } from '../src/services/settings';
import type { EmulatorHandle, RequestCounts } from '../emulator';
import { basicAuthorization, MANY_TAGS } from './benchEmulator';

export interface BadgeRun {
  totalMs: number;
  firstPageMs: number;
  firstPageTags: number;
  tags: number;
  pages: number;
  requests: RequestCounts;
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export function connectToEmulator(emulator: EmulatorHandle): RegistryConnection {
  return connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password });
}

/** Walks the tag pages, handing each page to `onPage` as soon as it arrives. */
async function walkPages(conn: RegistryConnection, onPage: (tags: Array<{ name: string; digest: string }>, index: number) => void): Promise<number> {
  let continuation: string | undefined;
  let pages = 0;
  do {
    const page = await conn.registry.listTags(MANY_TAGS, { pageSize: DEFAULTS.pageSize, continuation });
    onPage(page.items, pages);
    pages++;
    continuation = page.continuation;
  } while (continuation);
  return pages;
}

/**
 * What the tree does when every page is loaded: list a page, ask the session's BadgeService
 * (concurrency = the default `maxConcurrentRequests`) for each tag's badge by digest, without
 * waiting, and list the next page.
 */
export async function projectBadges(emulator: EmulatorHandle, conn: RegistryConnection): Promise<BadgeRun> {
  const badges = new BadgeService(conn.registry, conn.streaming, { concurrency: DEFAULTS.maxConcurrentRequests });
  emulator.requests.reset();
  const started = performance.now();
  let firstPageMs = 0;
  let firstPageTags = 0;
  let tags = 0;
  const all: Array<Promise<unknown>> = [];
  try {
    const pages = await walkPages(conn, (page, index) => {
      const lookups = page.map((tag) => badges.getBadge(MANY_TAGS, tag.digest));
      tags += page.length;
      all.push(...lookups);
      if (index === 0) {
        firstPageTags = page.length;
        all.push(Promise.all(lookups).then(() => (firstPageMs = performance.now() - started)));
      }
    });
    await Promise.all(all);
    return { totalMs: performance.now() - started, firstPageMs, firstPageTags, tags, pages, requests: emulator.requests.snapshot() };
  } finally {
    badges.dispose();
  }
}

/**
 * What a script over `az acr` does: one tag at a time, HEAD its manifest, then ask for its
 * streaming referrers. Plain fetch with the admin user's Basic credentials (no token round trips).
 */
export async function baselineBadges(emulator: EmulatorHandle, conn: RegistryConnection): Promise<BadgeRun> {
  const authorization = basicAuthorization(emulator);
  emulator.requests.reset();
  const started = performance.now();
  let firstPageMs = 0;
  let firstPageTags = 0;
  let tags = 0;
  const pages = await walkPagesSequentially(conn, async (page, index) => {
    for (const tag of page) {
      const head = await fetch(`${emulator.url}/v2/${MANY_TAGS}/manifests/${tag.name}`, { method: 'HEAD', headers: { authorization, accept: MANIFEST_ACCEPT } });
      const digest = head.headers.get('docker-content-digest');
      if (!head.ok || digest !== tag.digest) {
        throw new Error(`baseline: HEAD ${tag.name} answered ${head.status} with digest ${digest ?? 'none'} (listing says ${tag.digest})`);
      }
      const referrers = await fetch(`${emulator.url}/v2/${MANY_TAGS}/referrers/${digest}?artifactType=${encodeURIComponent(STREAMING_ARTIFACT_TYPE)}`, {
        headers: { authorization },
      });
      if (!referrers.ok) {
        throw new Error(`baseline: referrers of ${tag.name} answered ${referrers.status}`);
      }
      await referrers.json();
      tags++;
    }
    if (index === 0) {
      firstPageTags = page.length;
      firstPageMs = performance.now() - started;
    }
  });
  return { totalMs: performance.now() - started, firstPageMs, firstPageTags, tags, pages, requests: emulator.requests.snapshot() };
}

/** Page by page, each page's tags done before the next page is asked for. */
async function walkPagesSequentially(
  conn: RegistryConnection,
  eachPage: (tags: Array<{ name: string; digest: string }>, index: number) => Promise<void>,
): Promise<number> {
  let continuation: string | undefined;
  let pages = 0;
  do {
    const page = await conn.registry.listTags(MANY_TAGS, { pageSize: DEFAULTS.pageSize, continuation });
    await eachPage(page.items, pages);
    pages++;
    continuation = page.continuation;
  } while (continuation);
  return pages;
}
