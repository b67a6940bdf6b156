/**
 * Registry-level pre-flight: before a conversion or an auto-conversion change is sent to a
 * registry Azure Resource Manager describes, refuse what ACR would refuse there (not Premium,
 * customer-managed keys) with what to do about it. Registries not found through ARM are left
 * to the registry's own answer.
 */
import * as vscode from 'vscode';
import { registryStreamingBlockers } from '../core/azure/registryPreflight';
import type { CommandContext } from './commandContext';

const OPEN_PORTAL = 'Open in Azure Portal';

/** True when the registry cannot stream (the user was told why); nothing was sent. */
export async function refuseIfRegistryBlocked(ctx: CommandContext, loginServers: Iterable<string>, action: string): Promise<boolean> {
  for (const loginServer of new Set(loginServers)) {
    const found = ctx.azure.catalog.registryFor(loginServer);
    const blocker = found && registryStreamingBlockers(found.registry)[0];
    if (!found || !blocker) {
      continue;
    }
    ctx.logger.warn(`Refused to ${action} on ${found.registry.name}: ${blocker.code}.`);
    const choice = await vscode.window.showErrorMessage(`Cannot ${action} on ${found.registry.name}: ${blocker.message} ${blocker.hint}`, OPEN_PORTAL);
    if (choice === OPEN_PORTAL) {
      await vscode.commands.executeCommand('acrStreaming.openInPortal', { loginServer });
    }
    return true;
  }
  return false;
}
