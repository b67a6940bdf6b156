/** Start / Stop Artifact Streaming: a repository's auto-conversion of new pushes. */
import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { resolveRepositories, type RepositoryTarget } from './commandTargets';
import { refuseIfRegistryBlocked } from './registryPreflight';
import { reportError, withCancellableProgress } from './reportError';

export function startArtifactStreamingCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  return setAutoConversion(ctx, true, node, selected);
}

export function stopArtifactStreamingCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  return setAutoConversion(ctx, false, node, selected);
}

async function setAutoConversion(ctx: CommandContext, enabled: boolean, node: unknown, selected: unknown): Promise<void> {
  const targets = await resolveRepositories(node, selected, ctx.pickers);
  if (targets.length === 0) {
    return;
  }
  if (await refuseIfRegistryBlocked(ctx, targets.map((target) => target.loginServer), `${enabled ? 'start' : 'stop'} artifact streaming`)) {
    return;
  }
  const names = targets.length === 1 ? targets[0].repository : `${targets.length} repositories`;
  const done: RepositoryTarget[] = [];
  try {
    await withCancellableProgress(`${enabled ? 'Starting' : 'Stopping'} artifact streaming for ${names}…`, async (_progress, signal) => {
      for (const target of targets) {
        const session = await ctx.connections.session(target.loginServer);
        const state = await session.streaming.setAutoConversion(target.repository, enabled, { signal });
        ctx.tree.setAutoConversion(target.loginServer, target.repository, state.convertPushedImages);
        done.push(target);
      }
    });
  } catch (error) {
    const failed = targets[done.length];
    await reportError(ctx, `Could not ${enabled ? 'start' : 'stop'} artifact streaming for ${failed?.repository ?? names}`, error, failed?.loginServer);
    return;
  }
  if (!enabled) {
    void vscode.window.showInformationMessage(`Artifact streaming stopped for ${names}: new pushes are no longer converted. Existing streaming artifacts stay.`);
    return;
  }
  const convert = 'Convert Existing Tags…';
  const actions = targets.length === 1 ? [convert] : [];
  const choice = await vscode.window.showInformationMessage(
    `Artifact streaming started for ${names}: new pushes are converted. Existing images are not converted automatically.`,
    ...actions,
  );
  if (choice === convert) {
    const target = targets[0];
    await vscode.commands.executeCommand('acrStreaming.createStreamingArtifact', target.node ?? { loginServer: target.loginServer, repository: target.repository });
  }
}
