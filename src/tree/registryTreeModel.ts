/**
 * The Registries tree without VS Code: which children a node has, how they page, and which
 * nodes changed. Children are fetched once per node and kept until that node is refreshed;
 * badges and repository states load in the background through a limiter and are reported as
 * changed nodes (coalesced), never as a root refresh.
 */
import { setMaxListeners } from 'node:events';
import type { RegistryApi, StreamingApi } from '../core/api';
import type { BadgeState } from '../core/badge/badgeState';
import { toAcrStreamingError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Page } from '../core/models';
import { Emitter, type Disposable, type Subscribe } from '../services/emitter';
import { Limiter } from '../services/limiter';
import { ChangeCoalescer } from './changeCoalescer';
import {
  createLoadMoreNode,
  createMessageNode,
  createReferrerNode,
  createRegistryNode,
  createRepositoryNode,
  createTagNode,
  type LoadMoreNode,
  type RegistryNode,
  type RepositoryNode,
  type TagNode,
  type TreeNode,
} from './nodes';
import { compareByName, compareTagsNewestFirst } from './sorting';

/** What the tree needs of one registry. */
export interface TreeSession {
  readonly registry: RegistryApi;
  readonly streaming: StreamingApi;
  /** The badge of an image (cached and rate-limited by the caller). */
  loadBadge(repository: string, digest: string, signal?: AbortSignal): Promise<BadgeState>;
}

export interface RegistryListing {
  loginServer: string;
  /** "anonymous", "user alice", "Microsoft Entra", … */
  authLabel: string;
}

export interface RegistryTreeOptions {
  registries(): RegistryListing[];
  session(loginServer: string): Promise<TreeSession>;
  /** Drops a cached badge so the next load asks the registry (refresh, conversion ended). */
  forgetBadge(loginServer: string, repository: string, digest: string): void;
  pageSize(): number;
  logger: Logger;
  /** Concurrent background requests (repository states); default 4. */
  maxConcurrentRequests?: number;
  coalesceMs?: number;
}

interface ChildEntry {
  children: TreeNode[];
  /** Continuation of a paged listing, when more pages exist. */
  continuation?: string;
  /** Aborts background work started for these children. */
  controller: AbortController;
  loadingMore?: Promise<void>;
}

/** One controller per listing; every badge request of its page listens to it, so no listener cap. */
function newController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export class RegistryTreeModel implements Disposable {
  private readonly changes = new Emitter<TreeNode[] | undefined>();
  private readonly coalescer: ChangeCoalescer<TreeNode>;
  private readonly limiter: Limiter;
  private readonly entries = new Map<TreeNode, ChildEntry>();
  private readonly loading = new Map<TreeNode, { entry: ChildEntry; promise: Promise<TreeNode[]> }>();
  private roots: RegistryNode[] = [];
  private disposed = false;

  /** Fires changed nodes (undefined = the whole tree). */
  readonly onDidChange: Subscribe<TreeNode[] | undefined> = this.changes.event;

  constructor(private readonly options: RegistryTreeOptions) {
    this.limiter = new Limiter(options.maxConcurrentRequests ?? 4);
    this.coalescer = new ChangeCoalescer((nodes) => {
      if (nodes === undefined) {
        this.changes.fire(undefined);
        return;
      }
      // A node dropped by a refresh in the meantime is unknown to VS Code: skip it.
      const live = nodes.filter((node) => this.isAttached(node));
      if (live.length > 0) {
        this.changes.fire(live);
      }
    }, options.coalesceMs ?? 250);
  }

  /** Registry nodes, in the order the store lists them; the same objects while they stay listed. */
  rootNodes(): RegistryNode[] {
    const previous = new Map(this.roots.map((node) => [node.loginServer, node]));
    this.roots = this.options.registries().map(({ loginServer, authLabel }) => {
      const existing = previous.get(loginServer);
      if (existing) {
        existing.authLabel = authLabel;
        return existing;
      }
      return createRegistryNode(loginServer, authLabel);
    });
    for (const [loginServer, node] of previous) {
      if (!this.roots.some((root) => root.loginServer === loginServer)) {
        this.dropChildren(node);
      }
    }
    return this.roots;
  }

  children(node?: TreeNode): Promise<TreeNode[]> {
    if (node === undefined) {
      return Promise.resolve(this.rootNodes());
    }
    const cached = this.entries.get(node);
    if (cached) {
      return Promise.resolve(cached.children);
    }
    // VS Code may ask again while the first fetch runs: share it.
    const inFlight = this.loading.get(node);
    if (inFlight) {
      return inFlight.promise;
    }
    const entry: ChildEntry = { children: [], controller: newController() };
    const promise = this.load(node, entry).then(() => {
      if (this.loading.get(node)?.entry === entry) {
        this.loading.delete(node);
      }
      // A refresh during the fetch has already replaced this request: keep its answer out.
      if (!entry.controller.signal.aborted && !this.disposed) {
        this.entries.set(node, entry);
      }
      return entry.children;
    });
    this.loading.set(node, { entry, promise });
    return promise;
  }

  private async load(node: TreeNode, entry: ChildEntry): Promise<void> {
    switch (node.kind) {
      case 'registry':
        return this.loadRepositories(node, entry);
      case 'repository':
        return this.loadTags(node, entry);
      case 'tag':
        return this.loadReferrers(node, entry);
      default:
        return;
    }
  }

  /** Fetches the next page for a "Load more…" node and reports its parent as changed. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const entry = this.entries.get(parent);
    if (!entry || entry.continuation !== node.continuation) {
      return; // stale node: the parent was refreshed or the page already loaded
    }
    if (!entry.loadingMore) {
      entry.loadingMore = (async () => {
        try {
          if (parent.kind === 'registry') {
            await this.loadRepositories(parent, entry, node.continuation);
          } else {
            await this.loadTags(parent, entry, node.continuation);
          }
        } finally {
          entry.loadingMore = undefined;
        }
        this.changed(parent);
      })();
    }
    await entry.loadingMore;
  }

  /** Forgets the children of `node` (or everything) and asks VS Code to fetch them again. */
  refresh(node?: TreeNode): void {
    if (node === undefined || node.kind === 'loadMore' || node.kind === 'message' || node.kind === 'referrer') {
      if (node === undefined) {
        for (const root of this.roots) {
          this.forgetBadgesBelow(root);
          this.dropChildren(root);
          root.state = { kind: 'ready' };
        }
        this.coalescer.addRoot();
      } else {
        this.refresh(node.parent);
      }
      return;
    }
    this.forgetBadgesBelow(node);
    this.dropChildren(node);
    if (node.kind === 'registry') {
      node.state = { kind: 'ready' };
    } else if (node.kind === 'tag') {
      this.options.forgetBadge(node.loginServer, node.repository, node.digest);
      node.badge = undefined;
      node.badgeError = undefined;
      this.requestBadge(node, this.entries.get(node.parent)?.controller.signal);
    } else if (node.kind === 'repository') {
      this.requestRepositoryState(node, this.entries.get(node.parent)?.controller.signal);
    }
    this.changed(node);
  }

  /** Re-reads the registry list (settings or store changed). */
  refreshRoots(): void {
    this.rootNodes();
    this.coalescer.addRoot();
  }

  /** Tag nodes currently shown for an image. */
  tagNodesFor(loginServer: string, repository: string, digest: string): TagNode[] {
    const result: TagNode[] = [];
    for (const [parent, entry] of this.entries) {
      if (parent.kind === 'repository' && parent.loginServer === loginServer && parent.repository === repository) {
        for (const child of entry.children) {
          if (child.kind === 'tag' && child.digest === digest) {
            result.push(child);
          }
        }
      }
    }
    return result;
  }

  repositoryNodeFor(loginServer: string, repository: string): RepositoryNode | undefined {
    const root = this.roots.find((node) => node.loginServer === loginServer);
    const entry = root && this.entries.get(root);
    return entry?.children.find((child): child is RepositoryNode => child.kind === 'repository' && child.repository === repository);
  }

  /** Shows a badge we already know (a tracker event) on every tag of the image. */
  setBadge(loginServer: string, repository: string, digest: string, badge: BadgeState): void {
    for (const node of this.tagNodesFor(loginServer, repository, digest)) {
      if (node.badge?.kind !== badge.kind) {
        // The tag's referrers may change with its badge; an expanded tag fetches them again.
        this.dropChildren(node);
      }
      node.badge = badge;
      node.badgeError = undefined;
      this.changed(node);
    }
  }

  /** Reloads the badge of every tag of the image from the registry (after a conversion ended). */
  reloadBadges(loginServer: string, repository: string, digest: string): void {
    this.options.forgetBadge(loginServer, repository, digest);
    for (const node of this.tagNodesFor(loginServer, repository, digest)) {
      this.dropChildren(node);
      this.requestBadge(node, this.entries.get(node.parent)?.controller.signal);
      this.changed(node);
    }
  }

  setAutoConversion(loginServer: string, repository: string, enabled: boolean): void {
    const node = this.repositoryNodeFor(loginServer, repository);
    if (node && node.autoConversion !== enabled) {
      node.autoConversion = enabled;
      this.changed(node);
    }
  }

  /** The loaded children of a node, without fetching (commands use this for "all tags shown"). */
  loadedChildren(node: TreeNode): TreeNode[] | undefined {
    return this.entries.get(node)?.children;
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of [...this.entries.values(), ...[...this.loading.values()].map((l) => l.entry)]) {
      entry.controller.abort();
    }
    this.entries.clear();
    this.loading.clear();
    this.coalescer.dispose();
    this.changes.dispose();
  }

  /** Reports `node` as changed after the coalescing interval. */
  changed(node: TreeNode): void {
    if (!this.disposed) {
      this.coalescer.add(node);
    }
  }

  /** Reports pending changes now (tests, and before a command reads the tree). */
  flushChanges(): void {
    this.coalescer.flush();
  }

  private async loadRepositories(node: RegistryNode, entry: ChildEntry, continuation?: string): Promise<void> {
    let page: Page<string>;
    try {
      const session = await this.options.session(node.loginServer);
      page = await session.registry.listRepositories({ pageSize: this.pageSize(), continuation, signal: entry.controller.signal });
    } catch (error) {
      this.reportRegistryFailure(node, entry, error, continuation !== undefined);
      return;
    }
    if (node.state.kind !== 'ready') {
      node.state = { kind: 'ready' };
      this.changed(node);
    }
    const known = new Set(entry.children.filter((c) => c.kind === 'repository').map((c) => (c as RepositoryNode).repository));
    const added = page.items.filter((name) => !known.has(name)).map((name) => createRepositoryNode(node, name));
    const repositories = [...entry.children.filter((c): c is RepositoryNode => c.kind === 'repository'), ...added];
    repositories.sort((a, b) => compareByName(a.repository, b.repository));
    this.setPage(node, entry, repositories, page.continuation, 'No repositories in this registry.');
    for (const repository of added) {
      this.requestRepositoryState(repository, entry.controller.signal);
    }
  }

  private async loadTags(node: RepositoryNode, entry: ChildEntry, continuation?: string): Promise<void> {
    let page;
    try {
      const session = await this.options.session(node.loginServer);
      page = await session.registry.listTags(node.repository, { pageSize: this.pageSize(), continuation, signal: entry.controller.signal });
    } catch (error) {
      this.reportFailure(node, entry, error, 'tags', continuation !== undefined);
      return;
    }
    const known = new Set(entry.children.filter((c): c is TagNode => c.kind === 'tag').map((c) => c.tag));
    const added = page.items.filter((tag) => !known.has(tag.name)).map((tag) => createTagNode(node, tag));
    const tags = [...entry.children.filter((c): c is TagNode => c.kind === 'tag'), ...added];
    tags.sort((a, b) => compareTagsNewestFirst({ name: a.tag, createdTime: a.createdTime }, { name: b.tag, createdTime: b.createdTime }));
    this.setPage(node, entry, tags, page.continuation, 'No tags in this repository.');
    for (const tag of added) {
      this.requestBadge(tag, entry.controller.signal);
    }
  }

  private async loadReferrers(node: TagNode, entry: ChildEntry): Promise<void> {
    try {
      const session = await this.options.session(node.loginServer);
      const referrers = await session.streaming.listReferrers(node.repository, node.digest, { signal: entry.controller.signal });
      const nodes = referrers.map((descriptor) => createReferrerNode(node, descriptor));
      nodes.sort((a, b) => compareByName(a.descriptor.artifactType ?? '', b.descriptor.artifactType ?? '') || compareByName(a.descriptor.digest, b.descriptor.digest));
      entry.children = nodes.length > 0 ? nodes : [createMessageNode(node, 'empty', 'No referrers', 'info')];
    } catch (error) {
      this.reportFailure(node, entry, error, 'referrers', false);
    }
  }

  private setPage(parent: RegistryNode | RepositoryNode, entry: ChildEntry, items: TreeNode[], continuation: string | undefined, emptyText: string): void {
    entry.continuation = continuation;
    entry.children = items.length === 0 && !continuation ? [createMessageNode(parent, 'empty', emptyText, 'info')] : [...items];
    if (continuation) {
      entry.children.push(createLoadMoreNode(parent, continuation));
    }
  }

  private reportRegistryFailure(node: RegistryNode, entry: ChildEntry, error: unknown, more: boolean): void {
    const failure = toAcrStreamingError(error);
    if (failure.code === 'CANCELLED') {
      return;
    }
    this.options.logger.warn(`Listing repositories of ${node.loginServer} failed: ${failure.code} ${failure.describe()}`);
    if (more) {
      this.keepItemsWithError(node, entry, failure.describe());
      return;
    }
    if (failure.code === 'UNAUTHORIZED') {
      node.state = { kind: 'signin', message: failure.describe() };
      entry.children = [createMessageNode(node, 'signin', 'Sign in…', 'signin', failure.describe())];
    } else {
      node.state = { kind: 'error', message: failure.describe() };
      entry.children = [createMessageNode(node, 'error', `Could not list repositories: ${failure.message}`, 'error', failure.describe())];
    }
    this.changed(node);
  }

  private reportFailure(node: RepositoryNode | TagNode, entry: ChildEntry, error: unknown, what: string, more: boolean): void {
    const failure = toAcrStreamingError(error);
    if (failure.code === 'CANCELLED') {
      return;
    }
    this.options.logger.warn(`Listing ${what} of ${node.loginServer}/${node.repository} failed: ${failure.code} ${failure.describe()}`);
    if (more && node.kind === 'repository') {
      this.keepItemsWithError(node, entry, failure.describe());
      return;
    }
    entry.children = [createMessageNode(node, 'error', `Could not list ${what}: ${failure.message}`, 'error', failure.describe())];
    if (failure.code === 'UNAUTHORIZED') {
      const registry = node.kind === 'repository' ? node.parent : node.parent.parent;
      registry.state = { kind: 'signin', message: failure.describe() };
      this.changed(registry);
    }
  }

  /** A later page failed: keep what is shown, and keep "Load more…" so it can be retried. */
  private keepItemsWithError(node: RegistryNode | RepositoryNode, entry: ChildEntry, message: string): void {
    const withoutMessages = entry.children.filter((child) => child.kind !== 'message');
    const error = createMessageNode(node, 'more-error', `Could not load more: ${message}`, 'error', message);
    const loadMore = withoutMessages.findIndex((child) => child.kind === 'loadMore');
    entry.children = loadMore >= 0 ? [...withoutMessages.slice(0, loadMore), error, ...withoutMessages.slice(loadMore)] : [...withoutMessages, error];
  }

  private requestRepositoryState(node: RepositoryNode, signal: AbortSignal | undefined): void {
    // Don't wait: the state arrives as a node change.
    void this.limiter
      .run(async () => {
        const session = await this.options.session(node.loginServer);
        return session.streaming.getRepositoryState(node.repository, { signal });
      }, signal)
      .then(
        (state) => {
          if (!signal?.aborted && node.autoConversion !== state.convertPushedImages) {
            node.autoConversion = state.convertPushedImages;
            this.changed(node);
          }
        },
        (error: unknown) => {
          const failure = toAcrStreamingError(error);
          if (failure.code !== 'CANCELLED' && !signal?.aborted) {
            this.options.logger.debug(`Streaming state of ${node.loginServer}/${node.repository} unavailable: ${failure.code}`);
          }
        },
      );
  }

  private requestBadge(node: TagNode, signal: AbortSignal | undefined): void {
    // Don't wait: the badge arrives as a node change. The session bounds concurrency.
    void this.options
      .session(node.loginServer)
      .then((session) => session.loadBadge(node.repository, node.digest, signal))
      .then(
        (badge) => {
          if (!signal?.aborted) {
            node.badge = badge;
            node.badgeError = undefined;
            this.changed(node);
          }
        },
        (error: unknown) => {
          const failure = toAcrStreamingError(error);
          if (failure.code !== 'CANCELLED' && !signal?.aborted) {
            this.options.logger.debug(`Badge of ${node.loginServer}/${node.repository}:${node.tag} unavailable: ${failure.code}`);
            node.badgeError = failure.describe();
            this.changed(node);
          }
        },
      );
  }

  private pageSize(): number {
    return this.options.pageSize();
  }

  private forgetBadgesBelow(node: TreeNode): void {
    if (node.kind === 'tag') {
      this.options.forgetBadge(node.loginServer, node.repository, node.digest);
    }
    for (const child of this.entries.get(node)?.children ?? []) {
      this.forgetBadgesBelow(child);
    }
  }

  /** Drops the cached children of a node and of everything below it. */
  private dropChildren(node: TreeNode): void {
    const inFlight = this.loading.get(node);
    if (inFlight) {
      inFlight.entry.controller.abort();
      this.loading.delete(node);
    }
    const entry = this.entries.get(node);
    if (!entry) {
      return;
    }
    entry.controller.abort();
    this.entries.delete(node);
    for (const child of entry.children) {
      this.dropChildren(child);
    }
  }

  private isAttached(node: TreeNode): boolean {
    if (node.kind === 'registry') {
      return this.roots.includes(node);
    }
    const siblings = this.entries.get(node.parent)?.children;
    return siblings !== undefined && siblings.includes(node) && this.isAttached(node.parent);
  }
}
