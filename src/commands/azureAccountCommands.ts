/** Sign In to Azure…, Sign Out of Azure, Select Subscriptions…. */
import * as vscode from 'vscode';
import type { AzureCloud } from '../core/azure/clouds';
import { subscriptionKey } from '../services/subscriptionFilter';
import { SETTING_KEYS, SETTINGS_SECTION } from '../services/settings';
import type { CommandContext } from './commandContext';
import { isTreeNode } from './commandTargets';
import { reportError, withCancellableProgress } from './reportError';

/** VS Code's own setting that points its sovereign-cloud provider at a cloud. */
const SOVEREIGN_SECTION = 'microsoft-sovereign-cloud';

export async function signInToAzureCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  const cloud = ctx.azure.cloud();
  if (!(await sovereignProviderReady(cloud))) {
    return;
  }
  // The tree's "Tenant: sign in to this tenant…" item names its tenant.
  const tenantId = isTreeNode(node) && node.kind === 'message' ? node.tenantId : undefined;
  try {
    const wasSignedIn = ctx.azure.account.isSignedIn;
    const state = await ctx.azure.account.signIn(tenantId);
    if (state.kind !== 'signedIn') {
      return;
    }
    if (tenantId && wasSignedIn) {
      // Same account, one more tenant: list again.
      ctx.azure.catalog.clear();
      const azure = ctx.tree.azureRoot();
      if (azure) {
        ctx.tree.refresh(azure);
      }
    }
    void vscode.window.showInformationMessage(`Signed in to ${cloud.displayName} as ${state.label}.`);
  } catch (error) {
    await reportError(ctx, `Could not sign in to ${cloud.displayName}`, error);
  }
}

export async function signOutOfAzureCommand(ctx: CommandContext): Promise<void> {
  if (!ctx.azure.account.isSignedIn) {
    void vscode.window.showInformationMessage('Not signed in to Azure.');
    return;
  }
  await ctx.azure.account.signOut();
  void vscode.window.showInformationMessage(
    'Signed out of Azure: the extension no longer uses the account, and the registry tokens it obtained were cleared. To remove the account from VS Code itself, use the Accounts menu.',
  );
}

export async function selectSubscriptionsCommand(ctx: CommandContext): Promise<void> {
  if (!ctx.azure.account.isSignedIn) {
    await signInToAzureCommand(ctx);
    if (!ctx.azure.account.isSignedIn) {
      return;
    }
  }
  let listing;
  try {
    listing = await withCancellableProgress('Listing your Azure subscriptions…', () => ctx.azure.catalog.subscriptionListing());
  } catch (error) {
    await reportError(ctx, 'Could not list your Azure subscriptions', error);
    return;
  }
  if (listing.all.length === 0) {
    void vscode.window.showInformationMessage('This account has no Azure subscriptions.');
    return;
  }
  const selected = ctx.settings().azure.subscriptions.selected;
  type Item = vscode.QuickPickItem & { key?: string };
  const items: Item[] = [];
  for (const tenant of listing.tenants) {
    const subscriptions = listing.all.filter((s) => s.tenantId === tenant.tenantId).sort((a, b) => a.displayName.localeCompare(b.displayName));
    if (subscriptions.length === 0) {
      continue;
    }
    items.push({ label: tenant.displayName ?? tenant.defaultDomain ?? tenant.tenantId, kind: vscode.QuickPickItemKind.Separator });
    for (const subscription of subscriptions) {
      const key = subscriptionKey(subscription.tenantId, subscription.subscriptionId);
      items.push({ label: subscription.displayName, description: subscription.subscriptionId, picked: selected.length === 0 || selected.includes(key), key });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Subscriptions shown in the Registries view',
    placeHolder: 'Pick the subscriptions (grouped by tenant) whose registries are listed',
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) {
    return;
  }
  if (picked.length === 0) {
    void vscode.window.showWarningMessage('No subscription picked; the selection is unchanged. Pick at least one.');
    return;
  }
  const keys = picked.map((item) => item.key).filter((key): key is string => key !== undefined);
  const everything = keys.length === items.filter((item) => item.key).length;
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update(SETTING_KEYS.azureSubscriptions, everything ? [] : keys, vscode.ConfigurationTarget.Global);
  ctx.logger.info(everything ? 'Showing every Azure subscription.' : `Showing ${keys.length} Azure subscription(s).`);
}

/**
 * Azure China and Azure US Government sign in through VS Code's `microsoft-sovereign-cloud`
 * provider, which reads its cloud from VS Code's own setting: offer to set it when it differs.
 */
async function sovereignProviderReady(cloud: AzureCloud): Promise<boolean> {
  if (!cloud.sovereignEnvironment) {
    return true;
  }
  const config = vscode.workspace.getConfiguration(SOVEREIGN_SECTION);
  if (config.get<string>('environment') === cloud.sovereignEnvironment) {
    return true;
  }
  const set = `Use ${cloud.displayName}`;
  const choice = await vscode.window.showWarningMessage(
    `Signing in to ${cloud.displayName} needs VS Code's "${SOVEREIGN_SECTION}.environment" setting to be "${cloud.sovereignEnvironment}".`,
    { modal: true },
    set,
  );
  if (choice !== set) {
    return false;
  }
  await config.update('environment', cloud.sovereignEnvironment, vscode.ConfigurationTarget.Global);
  return true;
}
