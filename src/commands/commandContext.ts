/** What command handlers get: the extension's services, built once in `activate`. */
import type * as vscode from 'vscode';
import type { AzureAccount } from '../azure/azureAccount';
import type { AzureCatalog } from '../azure/azureCatalog';
import type { AksHelpDocuments } from '../azure/aksHelpDocuments';
import type { AzureCloud } from '../core/azure/clouds';
import type { Logger } from '../core/logger';
import type { OperationTracker } from '../core/tracker';
import type { ConnectionManager } from '../services/connectionManager';
import type { RegistryStore } from '../services/registryStore';
import type { ExtensionSettings } from '../services/settings';
import type { StreamingDataSource } from '../services/streamingDataSource';
import type { TreeNode } from '../tree/nodes';
import type { RegistryTreeModel } from '../tree/registryTreeModel';
import type { TargetPickers } from './commandTargets';

export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly store: RegistryStore;
  readonly connections: ConnectionManager;
  readonly tree: RegistryTreeModel;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly tracker: OperationTracker;
  readonly dataSource: StreamingDataSource;
  readonly pickers: TargetPickers;
  readonly logger: Logger;
  readonly logChannel: vscode.LogOutputChannel;
  readonly azure: AzureContext;
  readonly aksHelp: AksHelpDocuments;
  settings(): ExtensionSettings;
}

/** The Azure account and what it discovered. */
export interface AzureContext {
  readonly account: AzureAccount;
  readonly catalog: AzureCatalog;
  cloud(): AzureCloud;
}

/** A command handler: the clicked node (or a focus object) and the tree's selection, both optional. */
export type CommandHandler = (ctx: CommandContext, node?: unknown, selected?: unknown) => Promise<unknown> | unknown;
