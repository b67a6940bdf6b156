/**
 * The Registries tree's nodes: plain data, no VS Code types. The provider turns them into
 * TreeItems (see treeItemModel.ts); commands receive them as arguments. Ids are stable across
 * reloads so VS Code keeps expansion and selection.
 */
import type { AzureRegistry, AzureSubscription } from '../core/azure/models';
import type { BadgeState } from '../core/badge/badgeState';
import type { Descriptor } from '../core/models';

/** The "Azure" root: the signed-in account's subscriptions, or a way to sign in. */
export interface AzureNode {
  readonly kind: 'azure';
  readonly id: string;
  /** The account label when signed in. */
  account: string | undefined;
  /** The cloud's display name ("Azure", "Azure China (21Vianet)", …). */
  cloud: string;
}

export interface SubscriptionNode {
  readonly kind: 'subscription';
  readonly id: string;
  readonly parent: AzureNode;
  readonly subscription: AzureSubscription;
  /** The tenant's name, shown when the account sees more than one tenant. */
  readonly tenantLabel?: string;
}

export type RegistryState =
  | { kind: 'ready' }
  | { kind: 'signin'; message: string }
  | { kind: 'error'; message: string };

export interface RegistryNode {
  readonly kind: 'registry';
  readonly id: string;
  /** The subscription it was discovered in; undefined for registries added by hand or in settings. */
  readonly parent?: SubscriptionNode;
  /** What Azure Resource Manager says of it (SKU, location, encryption), when discovered there. */
  readonly azure?: AzureRegistry;
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
  /** Why the registry cannot stream at all (Azure says so), when it cannot: no badge is asked for. */
  blocked?: string;
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
  /** What clicking it does, when not the registry sign-in its severity implies; `retry` reloads its parent. */
  readonly action?: 'signInToAzure' | 'selectSubscriptions' | 'retry';
  /** The tenant a "sign in" action is for, when not the account's home tenant. */
  readonly tenantId?: string;
}

export type TreeNode = AzureNode | SubscriptionNode | RegistryNode | RepositoryNode | TagNode | ReferrerNode | LoadMoreNode | MessageNode;
export type ParentNode = AzureNode | SubscriptionNode | RegistryNode | RepositoryNode | TagNode;
export type RootNode = AzureNode | RegistryNode;

export const AZURE_NODE_ID = 'azure';

// Ids extend their parent's, so a registry listed both by hand and under a subscription has two
// distinct subtrees. A repository name never holds ':' and a tag never holds '/' or ':', so
// `registry>repository` and `registry>repository:tag` cannot collide.
export function registryNodeId(loginServer: string, subscriptionId?: string): string {
  return subscriptionId ? `azure/${subscriptionId.toLowerCase()}/registry:${loginServer}` : `registry:${loginServer}`;
}

export function repositoryNodeId(registryId: string, repository: string): string {
  return `${registryId}>${repository}`;
}

export function tagNodeId(repositoryId: string, tag: string): string {
  return `${repositoryId}:${tag}`;
}

export function createAzureNode(cloud: string): AzureNode {
  return { kind: 'azure', id: AZURE_NODE_ID, account: undefined, cloud };
}

export function createSubscriptionNode(parent: AzureNode, subscription: AzureSubscription, tenantLabel?: string): SubscriptionNode {
  return { kind: 'subscription', id: `azure/${subscription.subscriptionId.toLowerCase()}`, parent, subscription, tenantLabel };
}

export function createRegistryNode(loginServer: string, authLabel: string): RegistryNode {
  return { kind: 'registry', id: registryNodeId(loginServer), loginServer, authLabel, state: { kind: 'ready' } };
}

export function createAzureRegistryNode(parent: SubscriptionNode, registry: AzureRegistry): RegistryNode {
  return {
    kind: 'registry',
    id: registryNodeId(registry.loginServer, parent.subscription.subscriptionId),
    parent,
    azure: registry,
    loginServer: registry.loginServer,
    authLabel: 'Microsoft Entra',
    state: { kind: 'ready' },
  };
}

export function createRepositoryNode(parent: RegistryNode, repository: string): RepositoryNode {
  return {
    kind: 'repository',
    id: repositoryNodeId(parent.id, repository),
    parent,
    loginServer: parent.loginServer,
    repository,
    autoConversion: undefined,
  };
}

export function createTagNode(parent: RepositoryNode, tag: { name: string; digest: string; createdTime?: string; lastUpdateTime?: string }): TagNode {
  return {
    kind: 'tag',
    id: tagNodeId(parent.id, tag.name),
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

export function createMessageNode(
  parent: TreeNode,
  key: string,
  text: string,
  severity: MessageNode['severity'],
  detail?: string,
  action?: MessageNode['action'],
  tenantId?: string,
): MessageNode {
  return { kind: 'message', id: `${parent.id}#${key}`, parent, text, severity, detail, action, tenantId };
}

export function parentOf(node: TreeNode): TreeNode | undefined {
  return node.kind === 'azure' ? undefined : node.parent;
}

/** `loginServer/repository:tag`, the reference `docker pull` takes. */
export function imageReferenceOf(node: TagNode): string {
  return `${node.loginServer}/${node.repository}:${node.tag}`;
}
