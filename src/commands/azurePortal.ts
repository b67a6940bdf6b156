/** Open in Azure Portal, and Stream on AKS… (the node pool side of artifact streaming). */
import * as vscode from 'vscode';
import { registryPortalUrl } from '../core/azure/portalLinks';
import type { CommandContext } from './commandContext';
import { discoveredRegistryOf, resolveAzureRegistry } from './azureTargets';
import { isRegistryRef, isTreeNode, registryOfNode } from './commandTargets';

export async function openInPortalCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  const found = await resolveAzureRegistry(ctx, node);
  if (!found) {
    return;
  }
  const url = registryPortalUrl(ctx.azure.cloud(), found.registry, found.subscription.tenantId);
  ctx.logger.info(`Opening ${url}`);
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

export async function showAksHelpCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  // Any registry can stream to AKS; ARM fills in the name when it knows the registry.
  const found = discoveredRegistryOf(ctx, node);
  const registryNode = isTreeNode(node) ? registryOfNode(node) : undefined;
  const loginServer = found?.registry.loginServer ?? registryNode?.loginServer ?? (isRegistryRef(node) ? node.loginServer : undefined);
  let target = found;
  if (!loginServer) {
    target = await resolveAzureRegistry(ctx, node);
    if (!target) {
      return;
    }
  }
  await ctx.aksHelp.show({ loginServer: target?.registry.loginServer ?? loginServer!, registryName: target?.registry.name });
}
