/**
 * What a command acts on, from its arguments: the clicked node, the tree's multi-selection,
 * a focus object (notification actions, the panel) or, from the palette, whatever the pickers
 * return. No VS Code here: the pickers are an interface.
 */
import type { BadgeState } from '../core/badge/badgeState';
import { isValidDigest, isValidRepository } from '../core/reference';
import { parentOf, type ReferrerNode, type RegistryNode, type RepositoryNode, type TagNode, type TreeNode } from '../tree/nodes';

export interface ImageTarget {
  loginServer: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** The tree node it came from, whose badge may already say what to do. */
  node?: TagNode;
}

export interface RepositoryTarget {
  loginServer: string;
  repository: string;
  node?: RepositoryNode;
}

/** The palette fallbacks; each resolves undefined when the user backs out. */
export interface TargetPickers {
  pickRegistry(): Promise<string | undefined>;
  pickRepository(loginServer: string): Promise<string | undefined>;
  /** A tag or digest of the repository; 'all' when allowed and chosen. */
  pickImage(loginServer: string, repository: string, options?: { allowAll?: boolean }): Promise<ImageTarget | 'all' | undefined>;
}

/** An image named outside the tree (notification actions, the panel). */
export interface ImageFocus {
  loginServer: string;
  repository: string;
  digest: string;
  image?: string;
}

const NODE_KINDS: ReadonlySet<string> = new Set(['azure', 'subscription', 'registry', 'repository', 'tag', 'referrer', 'loadMore', 'message']);

export function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && NODE_KINDS.has((value as { kind?: unknown }).kind as string) && typeof (value as { id?: unknown }).id === 'string';
}

/** A focus object, checked field by field: command arguments can come from anywhere. */
export function isImageFocus(value: unknown): value is ImageFocus {
  if (typeof value !== 'object' || value === null || isTreeNode(value)) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    typeof v.loginServer === 'string' &&
    v.loginServer.length > 0 &&
    typeof v.repository === 'string' &&
    isValidRepository(v.repository) &&
    typeof v.digest === 'string' &&
    isValidDigest(v.digest) &&
    (v.image === undefined || typeof v.image === 'string')
  );
}

type NodeOfKind<K extends TreeNode['kind']> = Extract<TreeNode, { kind: K }>;

/**
 * The nodes a tree command applies to. VS Code passes the clicked node and, with
 * `canSelectMany`, the whole selection when the clicked node is part of it; a right-click
 * outside the selection acts on the clicked node alone.
 */
export function nodesOfKind<K extends TreeNode['kind']>(node: unknown, selected: unknown, kinds: readonly K[]): NodeOfKind<K>[] {
  if (!isTreeNode(node)) {
    return [];
  }
  const selection = Array.isArray(selected) ? selected.filter(isTreeNode) : [];
  const pool = selection.length > 1 && selection.includes(node) ? selection : [node];
  const seen = new Set<string>();
  return pool.filter((candidate): candidate is NodeOfKind<K> => {
    if (!(kinds as readonly string[]).includes(candidate.kind) || seen.has(candidate.id)) {
      return false;
    }
    seen.add(candidate.id);
    return true;
  });
}

export function imageTargetOf(node: TagNode): ImageTarget {
  return { loginServer: node.loginServer, repository: node.repository, tag: node.tag, digest: node.digest, node };
}

/** The registry a node belongs to; undefined above registries (Azure, subscriptions). */
export function registryOfNode(node: TreeNode): RegistryNode | undefined {
  let current: TreeNode | undefined = node;
  while (current && current.kind !== 'registry') {
    current = parentOf(current);
  }
  return current;
}

/** `{ loginServer }` names a registry outside the tree (error actions, focus objects). */
export function isRegistryRef(value: unknown): value is { loginServer: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !isTreeNode(value) &&
    typeof (value as { loginServer?: unknown }).loginServer === 'string' &&
    (value as { loginServer: string }).loginServer.length > 0
  );
}

/** `{ loginServer, repository }` names a repository outside the tree. */
export function isRepositoryRef(value: unknown): value is { loginServer: string; repository: string } {
  if (!isRegistryRef(value)) {
    return false;
  }
  const repository: unknown = (value as { repository?: unknown }).repository;
  return typeof repository === 'string' && isValidRepository(repository);
}

/** The registry a command applies to: the node's own, or one the user picks. */
export async function resolveRegistry(node: unknown, pickers: TargetPickers): Promise<string | undefined> {
  const registry = isTreeNode(node) ? registryOfNode(node) : undefined;
  if (registry) {
    return registry.loginServer;
  }
  if (isRegistryRef(node)) {
    return node.loginServer;
  }
  return pickers.pickRegistry();
}

/** The repositories a command applies to: selected ones, the node's own, or a picked one. */
export async function resolveRepositories(node: unknown, selected: unknown, pickers: TargetPickers): Promise<RepositoryTarget[]> {
  const repositories = nodesOfKind(node, selected, ['repository']);
  if (repositories.length > 0) {
    return repositories.map((n) => ({ loginServer: n.loginServer, repository: n.repository, node: n }));
  }
  if (isTreeNode(node) && (node.kind === 'tag' || node.kind === 'referrer')) {
    const parent = node.kind === 'tag' ? node.parent : node.parent.parent;
    return [{ loginServer: parent.loginServer, repository: parent.repository, node: parent }];
  }
  if (isRepositoryRef(node)) {
    return [{ loginServer: node.loginServer, repository: node.repository }];
  }
  const loginServer = await resolveRegistry(node, pickers);
  if (!loginServer) {
    return [];
  }
  const repository = await pickers.pickRepository(loginServer);
  return repository ? [{ loginServer, repository }] : [];
}

export type ImageTargets = { kind: 'images'; images: ImageTarget[] } | { kind: 'repository'; repository: RepositoryTarget } | { kind: 'none' };

/**
 * The images a command applies to. Tags: the selected ones. A focus: that image. A
 * repository node: the whole repository when `allowRepository`, else a picked tag of it.
 * Nothing: registry, repository and tag pickers.
 */
export async function resolveImages(
  node: unknown,
  selected: unknown,
  pickers: TargetPickers,
  options: { allowRepository?: boolean } = {},
): Promise<ImageTargets> {
  const tags = nodesOfKind(node, selected, ['tag']);
  if (tags.length > 0) {
    return { kind: 'images', images: tags.map(imageTargetOf) };
  }
  if (isImageFocus(node)) {
    return { kind: 'images', images: [{ loginServer: node.loginServer, repository: node.repository, digest: node.digest, tag: tagOfFocus(node) }] };
  }
  if (isTreeNode(node) && node.kind === 'repository') {
    if (options.allowRepository) {
      return { kind: 'repository', repository: { loginServer: node.loginServer, repository: node.repository, node } };
    }
    return pickIn(node.loginServer, node.repository, pickers, false, node);
  }
  if (isRepositoryRef(node)) {
    if (options.allowRepository) {
      return { kind: 'repository', repository: { loginServer: node.loginServer, repository: node.repository } };
    }
    return pickIn(node.loginServer, node.repository, pickers, false);
  }
  const loginServer = await resolveRegistry(node, pickers);
  if (!loginServer) {
    return { kind: 'none' };
  }
  const repository = await pickers.pickRepository(loginServer);
  if (!repository) {
    return { kind: 'none' };
  }
  return pickIn(loginServer, repository, pickers, options.allowRepository ?? false);
}

async function pickIn(loginServer: string, repository: string, pickers: TargetPickers, allowAll: boolean, node?: RepositoryNode): Promise<ImageTargets> {
  const picked = await pickers.pickImage(loginServer, repository, { allowAll });
  if (picked === undefined) {
    return { kind: 'none' };
  }
  if (picked === 'all') {
    return { kind: 'repository', repository: { loginServer, repository, node } };
  }
  return { kind: 'images', images: [picked] };
}

/** `repo:tag` in a focus's display name gives the tag back; anything else does not. */
function tagOfFocus(focus: ImageFocus): string | undefined {
  const prefix = `${focus.repository}:`;
  return focus.image?.startsWith(prefix) && !focus.image.includes('@') ? focus.image.slice(prefix.length) : undefined;
}

/** Text of an image reference for display: `repo:tag` or `repo@sha256:…`. */
export function displayImage(target: ImageTarget): string {
  if (target.tag) {
    return `${target.repository}:${target.tag}`;
  }
  return `${target.repository}@${target.digest ?? '?'}`;
}

/** Copyable text for a node: the full reference, or the digest. */
export function copyTextOf(node: TagNode | ReferrerNode, what: 'reference' | 'digest'): string {
  if (node.kind === 'tag') {
    return what === 'digest' ? node.digest : `${node.loginServer}/${node.repository}:${node.tag}`;
  }
  return what === 'digest' ? node.descriptor.digest : `${node.loginServer}/${node.repository}@${node.descriptor.digest}`;
}

export interface ConversionPlan {
  /** Images to send to the registry, one per digest. */
  convert: ImageTarget[];
  /** Refused without any request: the badge already says ACR would refuse. */
  refused: Array<{ target: ImageTarget; reason: string }>;
  /** Nothing to do: already streamed or converting. */
  skipped: Array<{ target: ImageTarget; badge: BadgeState['kind'] }>;
}

/**
 * Splits images by what their known badge says. Unknown badges go to `convert`: the core's
 * pre-flight checks them before anything is POSTed. Tags sharing a digest convert once.
 */
export function planConversions(targets: readonly ImageTarget[], describeRefusal: (badge: Extract<BadgeState, { kind: 'unsupported' }>) => string): ConversionPlan {
  const plan: ConversionPlan = { convert: [], refused: [], skipped: [] };
  const digests = new Set<string>();
  for (const target of targets) {
    const badge = target.node?.badge;
    if (badge?.kind === 'unsupported') {
      plan.refused.push({ target, reason: describeRefusal(badge) });
      continue;
    }
    if (badge?.kind === 'streamed' || badge?.kind === 'converting') {
      plan.skipped.push({ target, badge: badge.kind });
      continue;
    }
    const key = target.digest ? `${target.loginServer}/${target.repository}@${target.digest}` : undefined;
    if (key !== undefined) {
      if (digests.has(key)) {
        continue;
      }
      digests.add(key);
    }
    plan.convert.push(target);
  }
  return plan;
}

/** The most recently tracked operation of an image, if the tracker has one. */
export function latestTrackedFor<T extends { loginServer: string; repository: string; digest?: string; trackedAt: number }>(
  operations: readonly T[],
  image: { loginServer: string; repository: string; digest: string },
): T | undefined {
  let latest: T | undefined;
  for (const op of operations) {
    if (op.loginServer === image.loginServer && op.repository === image.repository && op.digest === image.digest && (!latest || op.trackedAt >= latest.trackedAt)) {
      latest = op;
    }
  }
  return latest;
}
