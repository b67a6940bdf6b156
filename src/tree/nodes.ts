/**
 * The Registries tree's nodes: plain data, no VS Code types. The provider turns them into
 * TreeItems (see treeItemModel.ts); commands receive them as arguments. Ids are stable across
 * reloads so VS Code keeps expansion and selection.
 */
import type { BadgeState } from '../core/badge/badgeState';
import type { Descriptor } from '../core/models';

export type RegistryState =
  | { kind: 'ready' }
  | { kind: 'signin'; message: string }
  | { kind: 'error'; message: string };

export interface RegistryNode {
  readonly kind: 'registry';
  readonly id: string;
  readonly loginServer: string;
  /** How the registry is signed in to, as the user sees it ("anonymous", "user alice", …). */
  authLabel: string;
  state: RegistryState;
}

export interface RepositoryNode {
  readonly kind: 'repository';
  readonly id: string;
  readonly parent: RegistryNode;
  readonly loginServer: string;
  readonly repository: string;
  /** Auto-conversion: true = Active, false = Inactive, undefined = not known (yet). */
  autoConversion: boolean | undefined;
}

export interface TagNode {
  readonly kind: 'tag';
  readonly id: string;
  readonly parent: RepositoryNode;
  readonly loginServer: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly createdTime?: string;
  /** Undefined while loading. */
  badge: BadgeState | undefined;
  /** Why the badge could not be loaded, when it could not. */
  badgeError?: string;
}

export interface ReferrerNode {
  readonly kind: 'referrer';
  readonly id: string;
  readonly parent: TagNode;
  readonly loginServer: string;
  readonly repository: string;
  readonly subjectDigest: string;
  readonly descriptor: Descriptor;
}

/** "Load more…": carries the continuation of its parent's listing. */
export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly id: string;
  readonly parent: RegistryNode | RepositoryNode;
  readonly continuation: string;
}

/** A leaf that says something: empty, error, sign in. */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly parent: TreeNode;
  readonly text: string;
  readonly severity: 'info' | 'error' | 'signin';
  /** Longer explanation for the tooltip. */
  readonly detail?: string;
}

export type TreeNode = RegistryNode | RepositoryNode | TagNode | ReferrerNode | LoadMoreNode | MessageNode;
export type ParentNode = RegistryNode | RepositoryNode | TagNode;

// Ids: the login server and repository are unique; '/' cannot appear in a tag or a digest.
export function registryNodeId(loginServer: string): string {
  return `registry:${loginServer}`;
}

export function repositoryNodeId(loginServer: string, repository: string): string {
  return `repository:${loginServer}/${repository}`;
}

export function tagNodeId(loginServer: string, repository: string, tag: string): string {
  return `tag:${loginServer}/${repository}:${tag}`;
}

export function createRegistryNode(loginServer: string, authLabel: string): RegistryNode {
  return { kind: 'registry', id: registryNodeId(loginServer), loginServer, authLabel, state: { kind: 'ready' } };
}

export function createRepositoryNode(parent: RegistryNode, repository: string): RepositoryNode {
  return {
    kind: 'repository',
    id: repositoryNodeId(parent.loginServer, repository),
    parent,
    loginServer: parent.loginServer,
    repository,
    autoConversion: undefined,
  };
}

export function createTagNode(parent: RepositoryNode, tag: { name: string; digest: string; createdTime?: string; lastUpdateTime?: string }): TagNode {
  return {
    kind: 'tag',
    id: tagNodeId(parent.loginServer, parent.repository, tag.name),
    parent,
    loginServer: parent.loginServer,
    repository: parent.repository,
    tag: tag.name,
    digest: tag.digest,
    createdTime: tag.createdTime ?? tag.lastUpdateTime,
    badge: undefined,
  };
}

export function createReferrerNode(parent: TagNode, descriptor: Descriptor): ReferrerNode {
  return {
    kind: 'referrer',
    id: `${parent.id}>${descriptor.digest}`,
    parent,
    loginServer: parent.loginServer,
    repository: parent.repository,
    subjectDigest: parent.digest,
    descriptor,
  };
}

/** The continuation is part of the id: each page's "Load more…" is a different node. */
export function createLoadMoreNode(parent: RegistryNode | RepositoryNode, continuation: string): LoadMoreNode {
  return { kind: 'loadMore', id: `${parent.id}#more:${continuation}`, parent, continuation };
}

export function createMessageNode(parent: TreeNode, key: string, text: string, severity: MessageNode['severity'], detail?: string): MessageNode {
  return { kind: 'message', id: `${parent.id}#${key}`, parent, text, severity, detail };
}

export function parentOf(node: TreeNode): TreeNode | undefined {
  return node.kind === 'registry' ? undefined : node.parent;
}

/** `loginServer/repository:tag`, the reference `docker pull` takes. */
export function imageReferenceOf(node: TagNode): string {
  return `${node.loginServer}/${node.repository}:${node.tag}`;
}
