/**
 * Activation: build the services, connect them, register the views and commands. Nothing
 * else happens here; the HTTP stack loads on first use (services/connectionManager.ts).
 */
import * as vscode from 'vscode';
import type { Logger } from './core/logger';
import { OperationTracker } from './core/tracker';
import type { CommandContext } from './commands/commandContext';
import { QuickPickers } from './commands/pickers';
import { registerCommands } from './commands/registerCommands';
import { registerStreamingPanelSerializer } from './panel/streamingPanel';
import { ConnectionManager } from './services/connectionManager';
import { VsCodeSessionCredential } from './services/entraCredential';
import { createLogger, LOG_CHANNEL_NAME } from './services/logChannel';
import { showOperationNotifications } from './services/notifications';
import { environmentCredentials, RegistryStore } from './services/registryStore';
import type { ExtensionSettings } from './services/settings';
import { SettingsWatcher } from './services/settingsWatcher';
import { StreamingDataSource } from './services/streamingDataSource';
import { TrackerHost } from './services/trackerHost';
import { OperationsStatusBar } from './statusBar/operationsStatusBar';
import type { TreeNode } from './tree/nodes';
import { RegistryTreeModel } from './tree/registryTreeModel';
import { RegistryTreeProvider } from './tree/registryTreeProvider';
import { syncBadgesWithTracker } from './tree/trackerBadgeSync';

const VIEW_ID = 'acrStreaming.registries';
/** Finished operations stay in the panel this long, then the tracker lets them go. */
const FORGET_FINISHED_AFTER_MS = 6 * 60 * 60 * 1000;

export function activate(context: vscode.ExtensionContext): void {
  const logChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const logger = createLogger(logChannel);
  const settings = new SettingsWatcher(logger);
  const store = new RegistryStore(context.globalState, context.secrets, () => settings.readRegistries(), environmentCredentials(process.env));
  const connections = createConnections(context, store, settings, logger);
  const tracker = createTracker(connections, settings.current, logger);
  const trackerHost = new TrackerHost(tracker, context.globalState, logger);
  const dataSource = new StreamingDataSource(tracker, connections);
  const tree = createTreeModel(store, connections, settings, logger);
  const provider = new RegistryTreeProvider(tree);
  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const pickers = new QuickPickers(store, connections, () => settings.current.pageSize);
  const ctx: CommandContext = { extension: context, store, connections, tree, treeView, tracker, dataSource, pickers, logger, logChannel, settings: () => settings.current };

  context.subscriptions.push(
    // Disposed in this order: the snapshot is saved before the tracker stops, the log goes last.
    trackerHost,
    tracker,
    settings,
    store,
    connections,
    tree,
    provider,
    treeView,
    new OperationsStatusBar(tracker),
    syncBadgesWithTracker(tracker, tree),
    showOperationNotifications(tracker),
    store.onDidChange(() => tree.refreshRoots()),
    settings.onDidChangeRegistries(() => store.reloadSettings()),
    ...registerCommands(ctx),
    logChannel,
  );
  registerStreamingPanelSerializer(context, dataSource);
  trackerHost.restore();
  settings.report(settings.current.problems);
  logger.info(`Activated; ${store.list().length} registr${store.list().length === 1 ? 'y' : 'ies'} listed.`);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

function createConnections(context: vscode.ExtensionContext, store: RegistryStore, settings: SettingsWatcher, logger: Logger): ConnectionManager {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  return new ConnectionManager({
    credentials: store,
    entraCredential: (tenantId) =>
      new VsCodeSessionCredential((scopes) => vscode.authentication.getSession('microsoft', scopes, { createIfNone: true }), tenantId),
    logger,
    userAgent: `acr-artifact-streaming-vscode/${version} vscode/${vscode.version}`,
    badgeConcurrency: () => settings.current.maxConcurrentRequests,
  });
}

function createTracker(connections: ConnectionManager, settings: ExtensionSettings, logger: Logger): OperationTracker {
  return new OperationTracker({
    resolveStreaming: async (loginServer) => (await connections.session(loginServer)).streaming,
    policy: {
      initialDelayMs: settings.pollInterval.minMs,
      maxDelayMs: settings.pollInterval.maxMs,
      maxConcurrentPolls: settings.maxConcurrentRequests,
      forgetFinishedAfterMs: FORGET_FINISHED_AFTER_MS,
    },
    logger,
  });
}

function createTreeModel(store: RegistryStore, connections: ConnectionManager, settings: SettingsWatcher, logger: Logger): RegistryTreeModel {
  return new RegistryTreeModel({
    registries: () => store.list().map((entry) => ({ loginServer: entry.endpoint.loginServer, authLabel: store.authLabel(entry) })),
    session: (loginServer) => connections.session(loginServer),
    forgetBadge: (loginServer, repository, digest) => connections.forgetBadge(loginServer, repository, digest),
    pageSize: () => settings.current.pageSize,
    maxConcurrentRequests: settings.current.maxConcurrentRequests,
    logger,
  });
}
