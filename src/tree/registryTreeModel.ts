/**
 * The Registries tree without VS Code: which children a node has, how they page, and which
 * nodes changed. Children are fetched once per node and kept until that node is refreshed;
 * badges and repository states load in the background through a limiter and are reported as
 * changed nodes (coalesced), never as a root refresh.
 */
import { setMaxListeners } from 'node:events';
import type { RegistryApi, StreamingApi } from '../core/api';
import type { AzureRegistry, AzureSubscription } from '../core/azure/models';
import { registryStreamingBlockers } from '../core/azure/registryPreflight';
import type { BadgeState } from '../core/badge/badgeState';
import { toAcrStreamingError, type AcrStreamingError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Page } from '../core/models';
import { isPagingError, normalizeCursor, repeatedPageError } from '../core/paging';
import { Emitter, type Disposable, type Subscribe } from '../services/emitter';
import { Limiter } from '../services/limiter';
import { ChangeCoalescer } from './changeCoalescer';
import {
  createAzureNode,
  createAzureRegistryNode,
  createLoadMoreNode,
  createMessageNode,
  createReferrerNode,
  createRegistryNode,
  createRepositoryNode,
  createSubscriptionNode,
  createTagNode,
  type AzureNode,
  type LoadMoreNode,
  type MessageNode,
  type RegistryNode,
  type RepositoryNode,
  type RootNode,
  type SubscriptionNode,
  type TagNode,
  type TreeNode,
  parentOf,
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

/** What the "Azure" part of the tree shows: the account's subscriptions and their registries. */
export interface AzureTreeSource {
  /** Whether the Azure root shows at all. */
  visible(): boolean;
  /** The signed-in account's label; undefined when signed out. */
  account(): string | undefined;
  cloudName(): string;
  /** The subscriptions to show (filter applied), with tenant names when there is more than one tenant. */
  subscriptions(): Promise<AzureSubscriptionListing>;
  registries(subscription: AzureSubscription): Promise<AzureRegistry[]>;
  /** Drops what was discovered, so the next listing asks Azure again. */
  forget(): void;
}

export interface AzureSubscriptionListing {
  subscriptions: AzureSubscription[];
  /** Tenant id → name, when the account sees several tenants. */
  tenantLabels?: ReadonlyMap<string, string>;
  /** Subscriptions hidden by the filter. */
  hidden: number;
  /** Tenants that could not be read, and why; `signInNeeded` when a sign-in to that tenant would help. */
  failedTenants: Array<{ tenantId: string; label: string; reason: string; signInNeeded: boolean }>;
}

export interface RegistryTreeOptions {
  registries(): RegistryListing[];
  azure?: AzureTreeSource;
  session(loginServer: string): Promise<TreeSession>;
  /** Drops a cached badge so the next load asks the registry (refresh, conversion ended). */
  forgetBadge(loginServer: string, repository: string, digest: string): void;
  pageSize(): number;
  /** A tag's badge arrived from the registry (a conversion the registry started shows up here first). */
  onBadgeLoaded?(node: TagNode, badge: BadgeState): void;
  logger: Logger;
  /** Concurrent background requests (repository states); default 4. */
  maxConcurrentRequests?: number;
  coalesceMs?: number;
}

interface ChildEntry {
  children: TreeNode[];
  /** Continuation of a paged listing, when more pages exist. */
  continuation?: string;
  /** Continuations already loaded (normalised): one coming back means the registry pages in a circle. */
  loaded?: Set<string>;
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
  /** Changes of nodes whose children VS Code was fetching: reported once the fetch settles. */
  private readonly heldBack = new Set<TreeNode>();
  /** Fetches of children VS Code is waiting for, per node (see treeItemRequested). */
  private readonly pendingRequests = new Map<TreeNode, Set<{ voided: boolean }>>();
  private roots: RootNode[] = [];
  private azureNode: AzureNode | undefined;
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
      // A node dropped by a refresh in the meantime is unknown to VS Code: skip it. A node whose
      // children are being fetched waits: a change now would make VS Code drop that fetch's rows.
      const live = nodes.filter((node) => {
        if (this.loading.has(node)) {
          this.heldBack.add(node);
          return false;
        }
        return this.isAttached(node);
      });
      if (live.length > 0) {
        this.changes.fire(live);
      }
    }, options.coalesceMs ?? 250);
  }

  /**
   * The "Azure" node (when shown), then registry nodes in the order the store lists them; the
   * same objects while they stay listed.
   */
  rootNodes(): RootNode[] {
    const previous = new Map(this.registryRoots().map((node) => [node.loginServer, node]));
    const registries = this.options.registries().map(({ loginServer, authLabel }) => {
      const existing = previous.get(loginServer);
      if (existing) {
        existing.authLabel = authLabel;
        return existing;
      }
      return createRegistryNode(loginServer, authLabel);
    });
    for (const [loginServer, node] of previous) {
      if (!registries.some((root) => root.loginServer === loginServer)) {
        this.dropChildren(node);
      }
    }
    const azure = this.options.azure;
    if (azure?.visible()) {
      this.azureNode ??= createAzureNode(azure.cloudName());
      this.azureNode.account = azure.account();
      this.azureNode.cloud = azure.cloudName();
    } else if (this.azureNode) {
      this.dropChildren(this.azureNode);
      this.azureNode = undefined;
    }
    this.roots = this.azureNode ? [this.azureNode, ...registries] : registries;
    return this.roots;
  }

  /** The Azure node, when shown. */
  azureRoot(): AzureNode | undefined {
    return this.azureNode;
  }

  /** Every registry node the tree holds now: roots, then those loaded under subscriptions. */
  registryNodes(): RegistryNode[] {
    const result = this.registryRoots();
    for (const [parent, entry] of this.entries) {
      if (parent.kind === 'subscription') {
        result.push(...entry.children.filter((child): child is RegistryNode => child.kind === 'registry'));
      }
    }
    return result;
  }

  children(node?: TreeNode): Promise<TreeNode[]> {
    if (node === undefined) {
      return Promise.resolve(this.rootNodes());
    }
    const cached = this.entries.get(node);
    if (cached) {
      return Promise.resolve(cached.children);
    }
    // VS Code waits for this answer: note it, so a re-read of the node's item in the meantime
    // (see treeItemRequested) can void it.
    const request = { voided: false };
    let requests = this.pendingRequests.get(node);
    if (!requests) {
      requests = new Set();
      this.pendingRequests.set(node, requests);
    }
    requests.add(request);
    const done = requests;
    return this.fetchChildren(node).then((children) => {
      done.delete(request);
      if (done.size === 0 && this.pendingRequests.get(node) === done) {
        this.pendingRequests.delete(node);
      }
      if (request.voided) {
        this.options.logger.info(`Children of ${node.id} answered empty: VS Code replaced the node while fetching them and fetches them again.`);
        return [];
      }
      return children;
    });
  }

  /**
   * VS Code (re)reads the item of `node`: it is refreshing that node or listing it again under
   * its parent. Either way the extension host replaces its record of the node and forgets that
   * record's children, while a fetch of the node's children it started before still goes on and
   * would file its answer under the replaced record. Those rows' ids are then taken: VS Code's
   * next fetch of the node fails with "Element with id … is already registered" and the rows go
   * blank until a full Refresh. So the pending fetches answer with no children; the refresh
   * that replaced the record fetches the children again (VS Code waits for the first fetch,
   * then asks once more).
   */
  treeItemRequested(node: TreeNode): void {
    for (const request of this.pendingRequests.get(node) ?? []) {
      request.voided = true;
    }
  }

  private fetchChildren(node: TreeNode): Promise<TreeNode[]> {
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
    const promise = this.load(node, entry).then((): TreeNode[] | Promise<TreeNode[]> => {
      if (this.loading.get(node)?.entry === entry) {
        this.loading.delete(node);
      }
      if (entry.controller.signal.aborted || this.disposed) {
        // A refresh during the fetch replaced this request. Its nodes are not the model's (their
        // badge requests were aborted, tracker updates cannot find them), so VS Code must never
        // get them: they would stay at '…' for good. Answer with the current children instead,
        // or none for a node the refresh detached (VS Code fetches its parent again).
        this.heldBack.delete(node);
        return !this.disposed && this.isAttached(node) ? this.fetchChildren(node) : [];
      }
      this.entries.set(node, entry);
      if (this.heldBack.delete(node)) {
        this.changed(node);
      }
      return entry.children;
    });
    this.loading.set(node, { entry, promise });
    return promise;
  }

  private async load(node: TreeNode, entry: ChildEntry): Promise<void> {
    switch (node.kind) {
      case 'azure':
        return this.loadSubscriptions(node, entry);
      case 'subscription':
        return this.loadAzureRegistries(node, entry);
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
        this.options.azure?.forget();
        for (const root of this.roots) {
          this.forgetBadgesBelow(root);
          this.dropChildren(root);
          if (root.kind === 'registry') {
            root.state = { kind: 'ready' };
          }
        }
        this.coalescer.addRoot();
      } else {
        this.refresh(node.parent);
      }
      return;
    }
    if (node.kind === 'azure' || node.kind === 'subscription') {
      this.options.azure?.forget();
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

  /** Repository nodes shown for a repository (a registry can be listed by hand and under a subscription). */
  repositoryNodesFor(loginServer: string, repository: string): RepositoryNode[] {
    return this.registryNodes()
      .filter((node) => node.loginServer === loginServer)
      .flatMap((node) => this.entries.get(node)?.children ?? [])
      .filter((child): child is RepositoryNode => child.kind === 'repository' && child.repository === repository);
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
    for (const node of this.repositoryNodesFor(loginServer, repository)) {
      if (node.autoConversion !== enabled) {
        node.autoConversion = enabled;
        this.changed(node);
      }
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
    this.heldBack.clear();
    this.pendingRequests.clear();
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

  private async loadSubscriptions(node: AzureNode, entry: ChildEntry): Promise<void> {
    const azure = this.options.azure;
    if (!azure || node.account === undefined) {
      entry.children = [createMessageNode(node, 'signin', 'Sign in to Azure…', 'signin', 'Sign in to list the container registries of your subscriptions.', 'signInToAzure')];
      return;
    }
    try {
      const listing = await azure.subscriptions();
      const children: TreeNode[] = listing.subscriptions.map((subscription) => createSubscriptionNode(node, subscription, listing.tenantLabels?.get(subscription.tenantId)));
      for (const failed of listing.failedTenants) {
        children.push(
          failed.signInNeeded
            ? createMessageNode(node, `tenant:${failed.tenantId}`, `${failed.label}: sign in to this tenant…`, 'signin', failed.reason, 'signInToAzure', failed.tenantId)
            : createMessageNode(node, `tenant:${failed.tenantId}`, `${failed.label}: not available`, 'error', failed.reason),
        );
      }
      if (listing.subscriptions.length === 0) {
        const text = listing.hidden > 0 ? `All ${listing.hidden} subscriptions are filtered out. Select Subscriptions…` : 'No subscriptions for this account.';
        children.push(createMessageNode(node, 'empty', text, 'info', undefined, listing.hidden > 0 ? 'selectSubscriptions' : undefined));
      }
      entry.children = children;
    } catch (error) {
      const failure = toAcrStreamingError(error);
      if (failure.code === 'CANCELLED') {
        return;
      }
      this.options.logger.warn(`Listing Azure subscriptions failed: ${failure.code} ${failure.describe()}`);
      entry.children =
        failure.code === 'UNAUTHORIZED'
          ? [createMessageNode(node, 'signin', 'Sign in to Azure…', 'signin', failure.describe(), 'signInToAzure')]
          : [createMessageNode(node, 'error', `Could not list subscriptions: ${failure.message}`, 'error', failure.describe())];
    }
  }

  private async loadAzureRegistries(node: SubscriptionNode, entry: ChildEntry): Promise<void> {
    try {
      const registries = await this.options.azure!.registries(node.subscription);
      const previous = new Map(
        (this.entries.get(node)?.children ?? []).filter((c): c is RegistryNode => c.kind === 'registry').map((c) => [c.loginServer, c]),
      );
      const nodes = registries.map((registry) => previous.get(registry.loginServer) ?? createAzureRegistryNode(node, registry));
      entry.children = nodes.length > 0 ? nodes : [createMessageNode(node, 'empty', 'No container registries in this subscription.', 'info')];
    } catch (error) {
      const failure = toAcrStreamingError(error);
      if (failure.code === 'CANCELLED') {
        return;
      }
      this.options.logger.warn(`Listing the registries of subscription ${node.subscription.displayName} failed: ${failure.code} ${failure.describe()}`);
      entry.children = [
        failure.code === 'UNAUTHORIZED'
          ? createMessageNode(node, 'signin', 'Sign in to Azure…', 'signin', failure.describe(), 'signInToAzure')
          : createMessageNode(node, 'error', `Could not list registries: ${failure.message}`, 'error', failure.describe()),
      ];
    }
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
    this.setPage(node, entry, repositories, page.continuation, continuation, 'No repositories in this registry.');
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
    this.setPage(node, entry, tags, page.continuation, continuation, 'No tags in this repository.');
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

  private setPage(
    parent: RegistryNode | RepositoryNode,
    entry: ChildEntry,
    items: TreeNode[],
    continuation: string | undefined,
    loadedFrom: string | undefined,
    emptyText: string,
  ): void {
    if (loadedFrom === undefined) {
      entry.loaded = new Set();
    } else {
      (entry.loaded ??= new Set()).add(normalizeCursor(loadedFrom));
    }
    if (continuation !== undefined && entry.loaded.has(normalizeCursor(continuation))) {
      // The registry links back to a page already shown: no "Load more…" that would go round forever.
      const listing = parent.kind === 'registry' ? 'the repositories' : `the tags of ${parent.repository}`;
      const failure = repeatedPageError({ host: parent.loginServer, what: listing }, entry.loaded.size + 1);
      this.options.logger.warn(failure.describe());
      entry.continuation = undefined;
      entry.children = [...items, createMessageNode(parent, 'more-error', `Could not load more: ${failure.message}`, 'error', failure.describe())];
      return;
    }
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
      this.keepItemsWithError(node, entry, failure.describe(), isPagingError(failure));
      return;
    }
    if (failure.code === 'UNAUTHORIZED') {
      node.state = { kind: 'signin', message: failure.describe() };
      entry.children = [createMessageNode(node, 'signin', 'Sign in…', 'signin', failure.describe())];
    } else {
      node.state = { kind: 'error', message: failure.describe() };
      entry.children = [listingErrorNode(node, 'repositories', failure)];
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
      this.keepItemsWithError(node, entry, failure.describe(), isPagingError(failure));
      return;
    }
    entry.children = [listingErrorNode(node, what, failure)];
    if (failure.code === 'UNAUTHORIZED') {
      const registry = node.kind === 'repository' ? node.parent : node.parent.parent;
      registry.state = { kind: 'signin', message: failure.describe() };
      this.changed(registry);
    }
  }

  /** A later page failed: keep what is shown, and keep "Load more…" so it can be retried. */
  private keepItemsWithError(node: RegistryNode | RepositoryNode, entry: ChildEntry, message: string, final = false): void {
    if (final) {
      entry.continuation = undefined;
    }
    const withoutMessages = entry.children.filter((child) => child.kind !== 'message' && !(final && child.kind === 'loadMore'));
    const error = createMessageNode(node, 'more-error', `Could not load more: ${message}`, 'error', message);
    const loadMore = withoutMessages.findIndex((child) => child.kind === 'loadMore');
    entry.children = loadMore >= 0 ? [...withoutMessages.slice(0, loadMore), error, ...withoutMessages.slice(loadMore)] : [...withoutMessages, error];
  }

  private requestRepositoryState(node: RepositoryNode, signal: AbortSignal | undefined): void {
    if (node.parent.azure && registryStreamingBlockers(node.parent.azure).length > 0) {
      return; // ACR refuses streaming calls there; the tooltip says why
    }
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
    const azure = node.parent.parent.azure;
    const blocker = azure && registryStreamingBlockers(azure)[0];
    if (blocker) {
      node.blocked = `${blocker.message} ${blocker.hint}`;
      this.changed(node);
      return;
    }
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
            this.options.onBadgeLoaded?.(node, badge);
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

  private registryRoots(): RegistryNode[] {
    return this.roots.filter((node): node is RegistryNode => node.kind === 'registry');
  }

  private isAttached(node: TreeNode): boolean {
    const parent = parentOf(node);
    if (parent === undefined) {
      return (this.roots as TreeNode[]).includes(node);
    }
    const siblings = this.entries.get(parent)?.children;
    return siblings !== undefined && siblings.includes(node) && this.isAttached(parent);
  }
}

/** Failures that may pass: their row offers Retry (a throttled one says when, in its message). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['TOO_MANY_REQUESTS', 'NETWORK', 'TIMEOUT', 'SERVER_ERROR']);

/** The row in place of a listing that failed. */
function listingErrorNode(node: RegistryNode | RepositoryNode | TagNode, what: string, failure: AcrStreamingError): MessageNode {
  const retry = RETRYABLE_CODES.has(failure.code) ? 'retry' : undefined;
  return createMessageNode(node, 'error', `Could not list ${what}: ${failure.message}`, 'error', failure.describe(), retry);
}
