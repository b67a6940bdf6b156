/**
 * The webview panel host: one panel at a time, revived after a window reload by a
 * WebviewPanelSerializer. The HTML is a static shell; all data goes by message through
 * `PanelController`.
 */
import * as vscode from 'vscode';
import { PanelController } from './panelController';
import type { PanelDataSource } from './panelDataSource';
import { buildPanelHtml, createNonce } from './panelHtml';
import { parsePanelState, type OperationView, type ReferrersRequest } from './protocol';

export const STREAMING_PANEL_VIEW_TYPE = 'acrStreaming.panel';
const TITLE = 'Artifact Streaming';

/** Scripts on, and only the two bundle folders readable. Applied on create and on revive. */
export function streamingPanelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class StreamingPanel implements vscode.Disposable {
  private static current: StreamingPanel | undefined;

  private readonly controller: PanelController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /**
   * Shows the panel, creating it if needed; with `focus`, switches it to that image's
   * referrers. A panel that already exists keeps the data source it was created with.
   */
  static createOrShow(context: vscode.ExtensionContext, source: PanelDataSource, focus?: ReferrersRequest): StreamingPanel {
    const existing = StreamingPanel.current;
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (focus) {
        existing.focusReferrers(focus);
      }
      return existing;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(STREAMING_PANEL_VIEW_TYPE, TITLE, column, {
      ...streamingPanelWebviewOptions(context.extensionUri),
      // The page restores itself from getState/setState and the host's `init`.
      retainContextWhenHidden: false,
    });
    return new StreamingPanel(panel, context, source, focus, true);
  }

  /** The open panel, if any. */
  static get currentPanel(): StreamingPanel | undefined {
    return StreamingPanel.current;
  }

  /** Adopts a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, source: PanelDataSource, focus?: ReferrersRequest): StreamingPanel {
    StreamingPanel.current?.dispose();
    return new StreamingPanel(panel, context, source, focus, false);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    source: PanelDataSource,
    focus: ReferrersRequest | undefined,
    revealFocus: boolean,
  ) {
    StreamingPanel.current = this;
    const webview = panel.webview;
    webview.options = streamingPanelWebviewOptions(context.extensionUri);
    this.controller = new PanelController(source, (message) => webview.postMessage(message), {
      copy: (text) => vscode.env.clipboard.writeText(text),
      showError: (operation) => showOperationError(operation),
      warn: (message) => console.warn(`[StreamingPanel] ${message}`),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.controller.handleMessage(message)),
      panel.onDidChangeViewState((event) => {
        if (!event.webviewPanel.visible) {
          this.controller.pageHidden();
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panel.css')).toString(),
    });
    if (focus) {
      this.controller.showReferrers(focus, revealFocus);
    }
    context.subscriptions.push(this);
  }

  /** Switches the page to an image's referrers and loads them. */
  focusReferrers(request: ReferrersRequest): void {
    this.controller.showReferrers(request, true);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (StreamingPanel.current === this) {
      StreamingPanel.current = undefined;
    }
    this.controller.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.panel.dispose();
    const index = this.context.subscriptions.indexOf(this);
    if (index >= 0) {
      this.context.subscriptions.splice(index, 1);
    }
  }
}

function showOperationError(operation: OperationView): void {
  const code = operation.errorCode ? ` (${operation.errorCode})` : '';
  const headline = `${operation.image}: conversion ${operation.status.toLowerCase()}${code}.`;
  // Non-modal notifications show no `detail`, so the advice goes in the message itself.
  const message = [headline, operation.errorHint, operation.lastError ? `Last error: ${operation.lastError}` : undefined].filter(Boolean).join(' ');
  const copy = 'Copy Details';
  // Don't wait: the notification stays until the user acts on it.
  void vscode.window.showErrorMessage(message, copy).then((choice) => {
    if (choice !== copy) {
      return undefined;
    }
    const lines = [message, operation.details, operation.digest ? `${operation.loginServer}/${operation.repository}@${operation.digest}` : undefined];
    return vscode.env.clipboard.writeText(lines.filter(Boolean).join('\n'));
  });
}

/**
 * Registers the serializer that revives the panel after a window reload. The registration is
 * added to `context.subscriptions` and also returned.
 */
export function registerStreamingPanelSerializer(context: vscode.ExtensionContext, source: PanelDataSource): vscode.Disposable {
  const registration = vscode.window.registerWebviewPanelSerializer(STREAMING_PANEL_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      // The saved state came from the page: check it like any other message.
      const saved = parsePanelState(state);
      StreamingPanel.revive(panel, context, source, saved?.referrers);
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
