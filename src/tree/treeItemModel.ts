/**
 * What each node looks like, as plain data: label, description, icon and color ids,
 * contextValue, Markdown tooltip, collapsibility and click command. The provider only
 * translates this into a vscode.TreeItem, so everything a user sees is testable without VS Code.
 */
import { registryStreamingBlockers } from '../core/azure/registryPreflight';
import { describeBadge } from '../core/badge/describeBadge';
import type { BadgeState } from '../core/badge/badgeState';
import { STREAMING_ARTIFACT_TYPE } from '../core/mediaTypes';
import { ContextValue, repositoryContextValue, tagContextValue } from './contextValues';
import { escapeMarkdown, quoteServerText, shortDigest } from './markdown';
import { parentOf, type AzureNode, type LoadMoreNode, type MessageNode, type ReferrerNode, type RegistryNode, type RepositoryNode, type SubscriptionNode, type TagNode, type TreeNode } from './nodes';

export interface IconModel {
  /** Codicon id, e.g. `sync~spin`. */
  id: string;
  /** Theme color id, e.g. `testing.iconPassed`. */
  color?: string;
}

export interface TreeItemModel {
  id: string;
  label: string;
  description?: string;
  icon: IconModel;
  contextValue: string;
  /** Markdown; every server string in it is escaped. Rendered with isTrusted false. */
  tooltip: string;
  collapsible: 'none' | 'collapsed';
  /** Runs on click, with `target` as its argument. */
  command?: { id: string; title: string; target: TreeNode };
}

export const BADGE_ICONS: Record<BadgeState['kind'] | 'loading' | 'error', IconModel> = {
  streamed: { id: 'pass-filled', color: 'testing.iconPassed' },
  converting: { id: 'sync~spin', color: 'charts.blue' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  'not-converted': { id: 'circle-large-outline' },
  unsupported: { id: 'circle-slash', color: 'disabledForeground' },
  loading: { id: 'loading~spin' },
  error: { id: 'warning', color: 'list.warningForeground' },
};

/** What the user can do next, per badge; the menus offer exactly these. */
const BADGE_NEXT_STEP: Record<BadgeState['kind'], string> = {
  streamed: 'Right-click → **Show Referrers** to see the streaming artifact.',
  converting: 'Right-click → **Show Operation** to follow it, or **Cancel Operation** to stop it.',
  failed: 'Fix the cause above, then right-click → **Create Streaming Artifact** to try again.',
  'not-converted': 'Right-click → **Create Streaming Artifact** to convert it.',
  unsupported: 'Nothing can be converted here; ACR would refuse this image.',
};

export function describeNode(node: TreeNode): TreeItemModel {
  switch (node.kind) {
    case 'azure':
      return describeAzure(node);
    case 'subscription':
      return describeSubscription(node);
    case 'registry':
      return node.azure ? describeAzureRegistry(node) : describeRegistry(node);
    case 'repository':
      return describeRepository(node);
    case 'tag':
      return describeTag(node);
    case 'referrer':
      return describeReferrer(node);
    case 'loadMore':
      return describeLoadMore(node);
    case 'message':
      return describeMessage(node);
  }
}

function describeAzure(node: AzureNode): TreeItemModel {
  const base = { id: node.id, label: node.cloud, icon: { id: 'azure' }, collapsible: 'collapsed' as const };
  if (node.account === undefined) {
    return {
      ...base,
      description: 'not signed in',
      contextValue: ContextValue.azureSignedOut,
      tooltip: `**${escapeMarkdown(node.cloud)}**\n\nSign in to list the container registries of your subscriptions.`,
    };
  }
  return {
    ...base,
    description: node.account,
    contextValue: ContextValue.azureSignedIn,
    tooltip: `**${escapeMarkdown(node.cloud)}**\n\nSigned in as ${escapeMarkdown(node.account)}. Right-click → **Select Subscriptions…** to choose what is listed.`,
  };
}

function describeSubscription(node: SubscriptionNode): TreeItemModel {
  const s = node.subscription;
  const lines = [`**${quoteServerText(s.displayName, 120)}**`, `Subscription \`${s.subscriptionId.replace(/`/g, '')}\``];
  if (node.tenantLabel) {
    lines.push(`Tenant: ${quoteServerText(node.tenantLabel, 120)}`);
  }
  return {
    id: node.id,
    label: s.displayName,
    description: node.tenantLabel,
    icon: { id: 'key' },
    contextValue: ContextValue.subscription,
    tooltip: lines.join('\n\n'),
    collapsible: 'collapsed',
  };
}

function describeAzureRegistry(node: RegistryNode): TreeItemModel {
  const registry = node.azure!;
  const blockers = registryStreamingBlockers(registry);
  const facts = [
    `**${quoteServerText(registry.name, 100)}** · \`${registry.loginServer.replace(/`/g, '')}\``,
    `SKU: ${quoteServerText(registry.sku, 40)} · Location: ${quoteServerText(registry.location, 40)} · Resource group: ${quoteServerText(registry.resourceGroup, 90)}`,
    registry.encryptionEnabled ? 'Encryption: customer-managed keys' : 'Encryption: Microsoft-managed keys',
    blockers.length === 0
      ? 'Artifact streaming: available.'
      : `Artifact streaming: **not available**. ${blockers.map((b) => `${escapeMarkdown(b.message)} ${escapeMarkdown(b.hint)}`).join(' ')}`,
  ];
  const base = {
    id: node.id,
    label: registry.name,
    collapsible: 'collapsed' as const,
  };
  const summary = `${registry.sku} · ${registry.location}`;
  if (node.state.kind !== 'ready') {
    return {
      ...base,
      description: `${summary} · unavailable`,
      icon: { id: 'warning', color: 'list.warningForeground' },
      contextValue: ContextValue.azureRegistryError,
      tooltip: `${facts.join('\n\n')}\n\n${quoteServerText(node.state.message, 400)}\n\nRight-click → **Refresh** to try again.`,
    };
  }
  return {
    ...base,
    description: blockers.length === 0 ? summary : `${summary} · no streaming`,
    icon: blockers.length === 0 ? { id: 'server' } : { id: 'server', color: 'disabledForeground' },
    contextValue: ContextValue.azureRegistry,
    tooltip: facts.join('\n\n'),
  };
}

function describeRegistry(node: RegistryNode): TreeItemModel {
  const base = { id: node.id, label: node.loginServer, collapsible: 'collapsed' as const };
  const header = `**${escapeMarkdown(node.loginServer)}**`;
  switch (node.state.kind) {
    case 'ready':
      return {
        ...base,
        description: node.authLabel,
        icon: { id: 'server' },
        contextValue: ContextValue.registry,
        tooltip: `${header}\n\nSigned in: ${escapeMarkdown(node.authLabel)}.`,
      };
    case 'signin':
      return {
        ...base,
        description: 'Sign in…',
        icon: { id: 'account', color: 'list.warningForeground' },
        contextValue: ContextValue.registrySignIn,
        tooltip: `${header}\n\n${quoteServerText(node.state.message)}\n\nThe registry needs credentials. Right-click → **Sign In…** to give them.`,
      };
    case 'error':
      return {
        ...base,
        description: 'unavailable',
        icon: { id: 'warning', color: 'list.warningForeground' },
        contextValue: ContextValue.registryError,
        tooltip: `${header}\n\n${quoteServerText(node.state.message, 400)}\n\nRight-click → **Refresh** to try again.`,
      };
  }
}

function describeRepository(node: RepositoryNode): TreeItemModel {
  const name = escapeMarkdown(`${node.repository}`);
  let description: string | undefined;
  let icon: IconModel = { id: 'repo' };
  let explanation = 'Auto-conversion state not known yet.';
  const blocker = node.parent.azure ? registryStreamingBlockers(node.parent.azure)[0] : undefined;
  if (blocker) {
    description = 'no streaming';
    explanation = `Artifact streaming is not available in this registry: ${escapeMarkdown(blocker.message)} ${escapeMarkdown(blocker.hint)}`;
  } else if (node.autoConversion === true) {
    description = 'Active';
    icon = { id: 'zap', color: 'charts.green' };
    explanation = 'Auto-conversion is **Active**: images pushed to this repository are converted to streaming artifacts. Right-click → **Stop Artifact Streaming** to turn it off (existing artifacts stay).';
  } else if (node.autoConversion === false) {
    description = 'Inactive';
    explanation = 'Auto-conversion is **Inactive**: new pushes are not converted. Right-click → **Start Artifact Streaming** to turn it on (existing images are not converted; use **Create Streaming Artifact** for those).';
  }
  return {
    id: node.id,
    label: node.repository,
    description,
    icon,
    contextValue: repositoryContextValue(node.autoConversion),
    tooltip: `**${name}**\n\n${explanation}`,
    collapsible: 'collapsed',
  };
}

function describeTag(node: TagNode): TreeItemModel {
  const header = `**${escapeMarkdown(`${node.repository}:${node.tag}`)}**\n\n\`${node.digest.replace(/`/g, '')}\``;
  const base = {
    id: node.id,
    label: node.tag,
    contextValue: tagContextValue(node.badge),
    collapsible: 'collapsed' as const,
  };
  if (node.blocked !== undefined) {
    return {
      ...base,
      description: 'no streaming',
      icon: BADGE_ICONS.unsupported,
      contextValue: ContextValue.tagBlocked,
      tooltip: `${header}\n\nArtifact streaming is not available in this registry: ${escapeMarkdown(node.blocked)}`,
    };
  }
  if (node.badge === undefined) {
    if (node.badgeError !== undefined) {
      return {
        ...base,
        description: 'badge unavailable',
        icon: BADGE_ICONS.error,
        tooltip: `${header}\n\nThe streaming state could not be read: ${quoteServerText(node.badgeError, 400)}\n\nRight-click → **Refresh** to try again.`,
      };
    }
    return { ...base, description: '…', icon: BADGE_ICONS.loading, tooltip: `${header}\n\nReading the streaming state…` };
  }
  const words = describeBadge(node.badge);
  return {
    ...base,
    description: words.short,
    icon: BADGE_ICONS[node.badge.kind],
    tooltip: `${header}\n\n**${escapeMarkdown(words.short)}**: ${quoteServerText(words.detail, 1000)}\n\n${BADGE_NEXT_STEP[node.badge.kind]}`,
  };
}

/** A readable name for a referrer's artifact type. */
export function artifactTypeLabel(artifactType: string | undefined, mediaType: string): string {
  if (artifactType === STREAMING_ARTIFACT_TYPE) {
    return 'streaming artifact';
  }
  return artifactType ?? mediaType;
}

function describeReferrer(node: ReferrerNode): TreeItemModel {
  const d = node.descriptor;
  const isStreaming = d.artifactType === STREAMING_ARTIFACT_TYPE;
  const annotations = Object.entries(d.annotations ?? {})
    .slice(0, 20)
    .map(([key, value]) => `- ${quoteServerText(key, 80)}: ${quoteServerText(value, 120)}`)
    .join('\n');
  return {
    id: node.id,
    label: artifactTypeLabel(d.artifactType, d.mediaType),
    description: shortDigest(d.digest),
    icon: isStreaming ? { id: 'zap', color: 'charts.green' } : { id: 'references' },
    contextValue: ContextValue.referrer,
    tooltip:
      `**${quoteServerText(d.artifactType ?? d.mediaType, 120)}**\n\n${escapeMarkdown(d.digest)} refers to ${escapeMarkdown(node.subjectDigest)}` +
      (annotations ? `\n\n${annotations}` : ''),
    collapsible: 'none',
  };
}

function describeLoadMore(node: LoadMoreNode): TreeItemModel {
  const what = node.parent.kind === 'registry' ? 'repositories' : 'tags';
  return {
    id: node.id,
    label: 'Load more…',
    icon: { id: 'ellipsis' },
    contextValue: ContextValue.loadMore,
    tooltip: `Load the next page of ${what}.`,
    collapsible: 'none',
    command: { id: 'acrStreaming.loadMore', title: 'Load More', target: node },
  };
}

function describeMessage(node: MessageNode): TreeItemModel {
  const icon: IconModel =
    node.severity === 'error'
      ? { id: 'warning', color: 'list.warningForeground' }
      : node.severity === 'signin'
        ? { id: 'account', color: 'list.warningForeground' }
        : { id: 'info' };
  return {
    id: node.id,
    label: node.text,
    icon,
    contextValue: ContextValue.message,
    tooltip: `${node.detail ? quoteServerText(node.detail, 600) : escapeMarkdown(node.text)}${node.action === 'retry' ? '\n\nClick to retry.' : ''}`,
    collapsible: 'none',
    command: messageCommand(node),
  };
}

function messageCommand(node: MessageNode): TreeItemModel['command'] {
  if (node.action === 'signInToAzure') {
    return { id: 'acrStreaming.signInToAzure', title: 'Sign In to Azure…', target: node };
  }
  if (node.action === 'selectSubscriptions') {
    return { id: 'acrStreaming.selectSubscriptions', title: 'Select Subscriptions…', target: node };
  }
  if (node.action === 'retry') {
    return { id: 'acrStreaming.refresh', title: 'Retry', target: node.parent };
  }
  const registry = registryOf(node);
  // A discovered registry signs in through the Azure account, not per registry.
  if (node.severity === 'signin' && registry) {
    return registry.azure
      ? { id: 'acrStreaming.signInToAzure', title: 'Sign In to Azure…', target: registry }
      : { id: 'acrStreaming.signIn', title: 'Sign In…', target: registry };
  }
  return undefined;
}

function registryOf(node: TreeNode): RegistryNode | undefined {
  let current: TreeNode | undefined = node;
  while (current && current.kind !== 'registry') {
    current = parentOf(current);
  }
  return current;
}
