/**
 * Every tag of a repository, page after page (for "Create Streaming Artifact for every
 * convertible tag"): bounded, cancellable between pages, each tag once, and ended with an error
 * when the registry pages in a circle.
 */
import type { RegistryApi } from './api';
import type { TagInfo } from './models';
import { collectPages, type PagingLimits } from './paging';
import { validateRepository } from './reference';

/** Far above any real repository, low enough that a runaway listing stops in reasonable time. */
const MAX_TAG_PAGES = 2_000;
const MAX_TAGS = 200_000;

export interface ListAllTagsOptions extends PagingLimits {
  pageSize?: number;
  /** After each page, with the number of tags read so far. */
  onProgress?(tags: number): void;
}

export function listAllTags(registry: RegistryApi, repository: string, options: ListAllTagsOptions = {}): Promise<TagInfo[]> {
  const repo = validateRepository(repository);
  const { signal, pageSize } = options;
  return collectPages((continuation) => registry.listTags(repo, { pageSize, continuation, signal }), {
    host: registry.loginServer,
    what: `the tags of ${repo}`,
    key: (tag) => tag.name,
    maxPages: options.maxPages ?? MAX_TAG_PAGES,
    maxItems: options.maxItems ?? MAX_TAGS,
    signal,
    onPage: (kept) => options.onProgress?.(kept),
  });
}
