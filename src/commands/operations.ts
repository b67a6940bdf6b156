/** Show Operation / Cancel Operation: an image's conversion, tracked or read from the registry. */
import * as vscode from 'vscode';
import { isOngoing } from '../core/models';
import { UNKNOWN_OPERATION_TEXT, type TrackedOperation } from '../core/tracker';
import type { CommandContext } from './commandContext';
import { displayImage, latestTrackedFor, resolveImages, type ImageTarget } from './commandTargets';
import { reportError, withCancellableProgress } from './reportError';

/**
 * The operation of an image: the tracker's, else the registry's last one (tracked from then on
 * when it is still running, so the tree and the status bar follow it).
 */
async function findOperation(ctx: CommandContext, target: ImageTarget, signal: AbortSignal): Promise<{ digest: string; operation?: TrackedOperation }> {
  const session = await ctx.connections.session(target.loginServer);
  const digest = target.digest ?? (await session.registry.resolveDigest(target.repository, target.tag as string, { signal }));
  const image = { loginServer: target.loginServer, repository: target.repository, digest };
  const tracked = latestTrackedFor(ctx.tracker.list(), image);
  if (tracked && isOngoing(tracked.status)) {
    return { digest, operation: tracked };
  }
  const last = await session.streaming.getLastOperation(target.repository, digest, { signal });
  if (!last) {
    return { digest, operation: tracked };
  }
  const operation = ctx.tracker.track(target.loginServer, { ...last, repository: last.repository || target.repository, digest }, { image: displayImage(target), digest });
  return { digest, operation };
}

function describeOperation(op: TrackedOperation): string {
  if (op.status === 'Unknown') {
    return `${UNKNOWN_OPERATION_TEXT} (operation ${op.operationId}); the registry has no newer one for this image`;
  }
  const progress = op.status === 'Running' ? ` ${Math.round(op.progress)}%` : '';
  const code = op.errorCode ? ` (${op.errorCode})` : '';
  const started = op.startTime ? `, started ${op.startTime}` : '';
  return `${op.status}${progress}${code}${started} — operation ${op.operationId}`;
}

export async function showOperationCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  const targets = await resolveImages(node, selected, ctx.pickers);
  if (targets.kind !== 'images') {
    return;
  }
  const target = targets.images[0];
  let found: { digest: string; operation?: TrackedOperation };
  try {
    found = await withCancellableProgress(`Reading the conversion of ${displayImage(target)}…`, (_p, signal) => findOperation(ctx, target, signal));
  } catch (error) {
    await reportError(ctx, `Could not read the conversion of ${displayImage(target)}`, error, target.loginServer);
    return;
  }
  const image = displayImage(target);
  if (!found.operation) {
    void vscode.window.showInformationMessage(`${image} has never been converted.`);
    return;
  }
  const op = found.operation;
  const openPanel = 'Open Panel';
  const cancel = 'Cancel Operation';
  const actions = isOngoing(op.status) ? [openPanel, cancel] : [openPanel];
  const detail = [op.details, op.lastError ? `Last poll failed: ${op.lastError.message}` : undefined].filter(Boolean).join('\n');
  const message = `${image}: ${describeOperation(op)}${detail ? `. ${detail}` : ''}`;
  const choice = op.status === 'Failed' ? await vscode.window.showErrorMessage(message, ...actions) : await vscode.window.showInformationMessage(message, ...actions);
  const focus = { loginServer: target.loginServer, repository: target.repository, digest: found.digest, image };
  if (choice === openPanel) {
    await vscode.commands.executeCommand('acrStreaming.openStreamingPanel', focus);
  } else if (choice === cancel) {
    await vscode.commands.executeCommand('acrStreaming.cancelOperation', focus);
  }
}

export async function cancelOperationCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  const targets = await resolveImages(node, selected, ctx.pickers);
  if (targets.kind !== 'images') {
    return;
  }
  const images = targets.images;
  const what = images.length === 1 ? displayImage(images[0]) : `${images.length} images`;
  const confirm = 'Cancel Conversion';
  const answer = await vscode.window.showWarningMessage(`Cancel the conversion of ${what}?`, { modal: true, detail: 'The image stays as it is; you can convert it again later.' }, confirm);
  if (answer !== confirm) {
    return;
  }
  const cancelled: string[] = [];
  const notRunning: string[] = [];
  try {
    await withCancellableProgress(`Cancelling the conversion of ${what}…`, async (_p, signal) => {
      for (const target of images) {
        const found = await findOperation(ctx, target, signal);
        if (!found.operation || !isOngoing(found.operation.status)) {
          notRunning.push(displayImage(target));
          continue;
        }
        await ctx.dataSource.cancel(found.operation.key, signal);
        cancelled.push(displayImage(target));
      }
    });
  } catch (error) {
    await reportError(ctx, `Could not cancel the conversion of ${what}`, error, images[0].loginServer);
    return;
  }
  const parts: string[] = [];
  if (cancelled.length > 0) {
    parts.push(`Cancelled: ${cancelled.join(', ')}.`);
  }
  if (notRunning.length > 0) {
    parts.push(`No conversion running for ${notRunning.join(', ')}.`);
  }
  // Logged too: a toast can be hidden (VS Code toasts at most three notifications per 800 ms).
  ctx.logger.info(`Cancel Operation: ${parts.join(' ')}`);
  void vscode.window.showInformationMessage(parts.join(' '));
}
