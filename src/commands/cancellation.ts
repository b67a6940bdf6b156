/** VS Code cancellation tokens as AbortSignals, so the core can be cancelled end to end. */

/** The part of vscode.CancellationToken used here. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): void };
}

/** An AbortSignal that aborts when `token` is cancelled; dispose the handle when done. */
export function signalFromToken(token: CancellationTokenLike): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}
