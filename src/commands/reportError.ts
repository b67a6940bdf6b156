/** Errors surfaced to the user: the core's message and hint, with an action where one helps. */
import * as vscode from 'vscode';
import { toAcrStreamingError } from '../core/errors';
import { signalFromToken } from './cancellation';
import type { CommandContext } from './commandContext';

const SHOW_LOG = 'Show Log';
const SIGN_IN = 'Sign In…';

/** Shows `error` unless it is a cancellation; `loginServer` enables "Sign In…" on 401/403. */
export async function reportError(ctx: CommandContext, what: string, error: unknown, loginServer?: string): Promise<void> {
  const failure = toAcrStreamingError(error);
  if (failure.code === 'CANCELLED') {
    return;
  }
  ctx.logger.error(`${what}: ${failure.code} ${failure.describe()}`);
  const actions = loginServer && (failure.code === 'UNAUTHORIZED' || failure.code === 'DENIED') ? [SIGN_IN, SHOW_LOG] : [SHOW_LOG];
  const choice = await vscode.window.showErrorMessage(`${what}: ${failure.describe()}`, ...actions);
  if (choice === SHOW_LOG) {
    ctx.logChannel.show(true);
  } else if (choice === SIGN_IN && loginServer) {
    await vscode.commands.executeCommand('acrStreaming.signIn', { loginServer });
  }
}

/** Long work in a cancellable notification; the token reaches the core as an AbortSignal. */
export function withCancellableProgress<T>(
  title: string,
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const cancellation = signalFromToken(token);
    try {
      return await task(progress, cancellation.signal);
    } finally {
      cancellation.dispose();
    }
  });
}
