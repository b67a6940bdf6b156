/**
 * The "Stream on AKS" help as read-only Markdown documents under their own URI scheme, shown in
 * VS Code's Markdown preview. The URI carries what the page is about (login server, registry
 * name), so a preview VS Code restores after a window reload is rendered again, not lost.
 */
import * as vscode from 'vscode';
import { aksStreamingHelp } from '../core/azure/aksHelp';
import type { AzureCloud } from '../core/azure/clouds';

export const HELP_SCHEME = 'acr-streaming-help';

export interface AksHelpSubject {
  loginServer: string;
  registryName?: string;
}

export class AksHelpDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(HELP_SCHEME, this);

  constructor(private readonly cloud: () => AzureCloud) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const loginServer = query.get('loginServer');
    if (!loginServer) {
      return '# Not available\n\nOpen **Stream on AKS…** again from the Registries view.';
    }
    // aksStreamingHelp validates both before they reach a command line.
    return aksStreamingHelp({ loginServer, registryName: query.get('registryName') ?? undefined, cloud: this.cloud() });
  }

  async show(subject: AksHelpSubject): Promise<void> {
    const title = (subject.registryName ?? subject.loginServer).replace(/[^A-Za-z0-9._-]/g, '_');
    const query = new URLSearchParams({ loginServer: subject.loginServer, ...(subject.registryName ? { registryName: subject.registryName } : {}) });
    const uri = vscode.Uri.from({ scheme: HELP_SCHEME, path: `/Stream on AKS - ${title}.md`, query: query.toString() });
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // The built-in Markdown extension is disabled: the source still reads well.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
  }
}
