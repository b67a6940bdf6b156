/**
 * Every command of the extension, as a table: id → handler. `activate` registers the table;
 * the type makes it list every id of commandIds.ts, which a unit test compares with package.json.
 */
import * as vscode from 'vscode';
import { startArtifactStreamingCommand, stopArtifactStreamingCommand } from './autoConversion';
import { selectSubscriptionsCommand, signInToAzureCommand, signOutOfAzureCommand } from './azureAccountCommands';
import { openInPortalCommand, showAksHelpCommand } from './azurePortal';
import { copyDigestCommand, copyImageReferenceCommand } from './clipboard';
import type { CommandContext, CommandHandler } from './commandContext';
import type { CommandId } from './commandIds';
import { createStreamingArtifactCommand } from './createStreamingArtifact';
import { deleteImageCommand, untagCommand } from './deleteImages';
import { cancelOperationCommand, showOperationCommand } from './operations';
import { addRegistryCommand, removeRegistryCommand, signInCommand } from './registries';
import { reportError } from './reportError';
import { openStreamingPanelCommand, showReferrersCommand } from './streamingPanel';
import { loadMoreCommand, refreshCommand } from './treeActions';

export const COMMANDS: Readonly<Record<CommandId, CommandHandler>> = {
  'acrStreaming.createStreamingArtifact': createStreamingArtifactCommand,
  'acrStreaming.startArtifactStreaming': startArtifactStreamingCommand,
  'acrStreaming.stopArtifactStreaming': stopArtifactStreamingCommand,
  'acrStreaming.showOperation': showOperationCommand,
  'acrStreaming.cancelOperation': cancelOperationCommand,
  'acrStreaming.showReferrers': showReferrersCommand,
  'acrStreaming.refresh': refreshCommand,
  'acrStreaming.loadMore': loadMoreCommand,
  'acrStreaming.copyImageReference': copyImageReferenceCommand,
  'acrStreaming.copyDigest': copyDigestCommand,
  'acrStreaming.addRegistry': addRegistryCommand,
  'acrStreaming.signIn': signInCommand,
  'acrStreaming.removeRegistry': removeRegistryCommand,
  'acrStreaming.openStreamingPanel': openStreamingPanelCommand,
  'acrStreaming.signInToAzure': signInToAzureCommand,
  'acrStreaming.signOutOfAzure': signOutOfAzureCommand,
  'acrStreaming.selectSubscriptions': selectSubscriptionsCommand,
  'acrStreaming.openInPortal': openInPortalCommand,
  'acrStreaming.showAksHelp': showAksHelpCommand,
  'acrStreaming.untag': untagCommand,
  'acrStreaming.deleteImage': deleteImageCommand,
};

/** Registers the table; a handler that throws is reported, never left as an unhandled rejection. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (node?: unknown, selected?: unknown) => {
      try {
        return await handler(ctx, node, selected);
      } catch (error) {
        await reportError(ctx, `${id.replace('acrStreaming.', '')} failed`, error);
        return undefined;
      }
    }),
  );
}
