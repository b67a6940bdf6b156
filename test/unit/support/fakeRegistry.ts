/**
 * An in-memory `RegistryApi`. Errors follow what the HTTP client raises for ACR's 404s
 * (`NAME_UNKNOWN` for a repository, `MANIFEST_UNKNOWN` for a tag or digest).
 *
 * Broken paging (`pagingFault`), as the client passes it on: `repeat` answers a continuation
 * with that same continuation; `cycle` goes A→B→A (the second page links back to the first);
 * `foreign-origin` / `foreign-path` fail the first page that has a next page with the error the
 * HTTP client raises for a Link to another host or another listing.
 */
import type { RegistryApi, RequestOptions } from '../../../src/core/api';
import { AcrStreamingError } from '../../../src/core/errors';
import { foreignLinkError } from '../../../src/core/paging';
import type { ManifestSummary, Page, PageOptions, RepositoryInfo, TagInfo } from '../../../src/core/models';
import { isValidDigest } from '../../../src/core/reference';
import { CallRecorder } from './callRecorder';

interface FakeRepository {
  tags: Map<string, TagInfo>;
  manifests: Map<string, ManifestSummary>;
  createdTime: string;
}

export type FakePagingFault = 'repeat' | 'cycle' | 'foreign-origin' | 'foreign-path';

/** A continuation that names no item, so paging starts over: the fake's "first page" link. */
const START_OVER = '~start';

export class FakeRegistry implements RegistryApi {
  readonly recorder = new CallRecorder();
  /** Makes `listTags` and `listRepositories` page like a broken registry (see the file comment). */
  pagingFault?: FakePagingFault;
  private readonly repositories = new Map<string, FakeRepository>();
  private tick = 0;

  constructor(readonly loginServer = 'fake.azurecr.io') {}

  /** Stores a manifest and points `tags` at it. Returns the manifest. */
  addImage(repository: string, manifest: ManifestSummary, tags: string[] = []): ManifestSummary {
    const repo = this.repository(repository, true);
    repo.manifests.set(manifest.digest, manifest);
    for (const tag of tags) {
      this.tag(repository, tag, manifest.digest);
    }
    return manifest;
  }

  /** Points a tag at a digest (a push that moves the tag). */
  tag(repository: string, tag: string, digest: string): void {
    const time = new Date(Date.UTC(2025, 3, 28, 3, 53, 55) + this.tick++ * 1000).toISOString();
    this.repository(repository, true).tags.set(tag, { name: tag, digest, createdTime: time, lastUpdateTime: time });
  }

  deleteTag(repository: string, tag: string, options: RequestOptions = {}): Promise<void> {
    return this.recorder.run('deleteTag', [repository, tag], options.signal, () => {
      if (!this.repository(repository).tags.delete(tag)) {
        throw new AcrStreamingError('NOT_FOUND', `tag ${repository}:${tag} is not found`, { status: 404 });
      }
    });
  }

  /** Deletes a manifest and every tag pointing at it, as ACR does. */
  deleteManifest(repository: string, digest: string, options: RequestOptions = {}): Promise<void> {
    return this.recorder.run('deleteManifest', [repository, digest], options.signal, () => {
      const repo = this.repository(repository);
      if (!repo.manifests.delete(digest)) {
        throw new AcrStreamingError('MANIFEST_UNKNOWN', `manifest ${repository}@${digest} is not found`, { status: 404 });
      }
      for (const [name, tag] of repo.tags) {
        if (tag.digest === digest) {
          repo.tags.delete(name);
        }
      }
    });
  }

  listRepositories(options: PageOptions = {}): Promise<Page<string>> {
    return this.recorder.run('listRepositories', [options], options.signal, () => {
      const names = [...this.repositories.keys()].sort();
      return this.misbehave(paginate(names, (name) => name, options), options, 'the repositories');
    });
  }

  getRepository(repository: string, options: RequestOptions = {}): Promise<RepositoryInfo> {
    return this.recorder.run('getRepository', [repository], options.signal, () => {
      const repo = this.repository(repository);
      return { name: repository, createdTime: repo.createdTime, manifestCount: repo.manifests.size, tagCount: repo.tags.size };
    });
  }

  listTags(repository: string, options: PageOptions = {}): Promise<Page<TagInfo>> {
    return this.recorder.run('listTags', [repository, options], options.signal, () => {
      const tags = [...this.repository(repository).tags.values()].sort((a, b) => (b.lastUpdateTime ?? '').localeCompare(a.lastUpdateTime ?? ''));
      return this.misbehave(paginate(tags, (tag) => tag.name, options), options, `the tags of ${repository}`);
    });
  }

  resolveDigest(repository: string, tagOrDigest: string, options: RequestOptions = {}): Promise<string> {
    return this.recorder.run('resolveDigest', [repository, tagOrDigest], options.signal, () => this.lookup(repository, tagOrDigest).digest);
  }

  getManifest(repository: string, tagOrDigest: string, options: RequestOptions = {}): Promise<ManifestSummary> {
    return this.recorder.run('getManifest', [repository, tagOrDigest], options.signal, () => structuredClone(this.lookup(repository, tagOrDigest)));
  }

  private misbehave<T>(page: Page<T>, options: PageOptions, what: string): Page<T> {
    const given = options.continuation;
    switch (this.pagingFault) {
      case 'repeat':
        return given === undefined ? page : { ...page, continuation: given };
      case 'cycle':
        return given === undefined || given === START_OVER ? page : { ...page, continuation: START_OVER };
      case 'foreign-origin':
      case 'foreign-path':
        if (page.continuation !== undefined) {
          throw foreignLinkError({ host: this.loginServer, what }, this.pagingFault === 'foreign-origin' ? 'https://elsewhere.example' : '/acr/v1/elsewhere/_tags');
        }
        return page;
      default:
        return page;
    }
  }

  private lookup(repository: string, tagOrDigest: string): ManifestSummary {
    const repo = this.repository(repository);
    const digest = isValidDigest(tagOrDigest) ? tagOrDigest : repo.tags.get(tagOrDigest)?.digest;
    const manifest = digest === undefined ? undefined : repo.manifests.get(digest);
    if (!manifest) {
      throw new AcrStreamingError('MANIFEST_UNKNOWN', `manifest ${repository}:${tagOrDigest} is not found`, { status: 404 });
    }
    return manifest;
  }

  private repository(name: string, create = false): FakeRepository {
    let repo = this.repositories.get(name);
    if (!repo && create) {
      repo = { tags: new Map(), manifests: new Map(), createdTime: '2025-04-28T03:53:55.976173Z' };
      this.repositories.set(name, repo);
    }
    if (!repo) {
      throw new AcrStreamingError('NAME_UNKNOWN', `repository name not known to registry: ${name}`, { status: 404 });
    }
    return repo;
  }
}

/** Pages like ACR: `continuation` is the last name of the previous page. */
function paginate<T>(items: T[], nameOf: (item: T) => string, options: PageOptions): Page<T> {
  const start = options.continuation === undefined ? 0 : items.findIndex((item) => nameOf(item) === options.continuation) + 1;
  const size = options.pageSize ?? 100;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return more ? { items: page, continuation: nameOf(page[page.length - 1]) } : { items: page };
}
