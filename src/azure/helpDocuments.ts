/**
 * Read-only Markdown documents the extension writes (the "Stream on AKS" help), served from
 * memory under their own URI scheme and shown in VS Code's Markdown preview.
 */
import * as vscode from 'vscode';

export const HELP_SCHEME = 'acr-streaming-help';

export class HelpDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(HELP_SCHEME, this);

  readonly onDidChange = this.changes.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.path) ?? '# Not available\n\nOpen this help again from the Registries view.';
  }

  /** Shows `markdown` as a preview titled by `name` (a file name ending in .md). */
  async show(name: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: HELP_SCHEME, path: `/${name}` });
    this.documents.set(uri.path, markdown);
    this.changes.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // The built-in Markdown extension is disabled: the source still reads well.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changes.dispose();
  }
}
