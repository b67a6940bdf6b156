/** Which Azure registry a command acts on: the clicked one, one already discovered, or a picked one. */
import * as vscode from 'vscode';
import type { DiscoveredRegistry } from '../azure/azureCatalog';
import type { CommandContext } from './commandContext';
import { isRegistryRef, isTreeNode, registryOfNode } from './commandTargets';
import { withCancellableProgress } from './reportError';

/** The discovered registry behind a node or `{ loginServer }`, without any request. */
export function discoveredRegistryOf(ctx: CommandContext, node: unknown): DiscoveredRegistry | undefined {
  const registry = isTreeNode(node) ? registryOfNode(node) : undefined;
  const loginServer = registry?.loginServer ?? (isRegistryRef(node) ? node.loginServer : undefined);
  return loginServer ? ctx.azure.catalog.registryFor(loginServer) : undefined;
}

/** The node's Azure registry, or one the user picks from every subscription shown. */
export async function resolveAzureRegistry(ctx: CommandContext, node: unknown): Promise<DiscoveredRegistry | undefined> {
  const known = discoveredRegistryOf(ctx, node);
  if (known) {
    return known;
  }
  if (isTreeNode(node) || isRegistryRef(node)) {
    void vscode.window.showInformationMessage('This registry was not found through Azure Resource Manager: it is not in a subscription you are signed in to.');
    return undefined;
  }
  if (!ctx.azure.account.isSignedIn) {
    const signIn = 'Sign In to Azure…';
    const choice = await vscode.window.showInformationMessage('Sign in to Azure to pick one of your registries.', signIn);
    if (choice === signIn) {
      await vscode.commands.executeCommand('acrStreaming.signInToAzure');
    }
    return undefined;
  }
  const found = await withCancellableProgress('Listing your Azure container registries…', async () => {
    const subscriptions = await ctx.azure.catalog.shownSubscriptions();
    const lists = await Promise.all(subscriptions.map((subscription) => ctx.azure.catalog.registries(subscription).catch(() => [])));
    return lists.flat();
  });
  if (found.length === 0) {
    void vscode.window.showInformationMessage('No container registries in the subscriptions shown.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((entry) => ({
      label: entry.registry.name,
      description: `${entry.registry.sku} · ${entry.registry.location}`,
      detail: `${entry.registry.loginServer} · ${entry.subscription.displayName}`,
      entry,
    })),
    { title: 'Azure container registry', placeHolder: 'Pick a registry', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.entry;
}
