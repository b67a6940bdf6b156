/**
 * Activation: build the services, connect them, register the views and commands. Nothing
 * else happens here; the HTTP stack loads on first use (services/connectionManager.ts).
 */
import * as vscode from 'vscode';
import { AzureAccount, type AuthenticationApi } from './azure/azureAccount';
import { AzureCatalog } from './azure/azureCatalog';
import { AksHelpDocuments } from './azure/aksHelpDocuments';
import { RegistryCredentialSource } from './azure/registryCredentialSource';
import { registerTestEntraProvider } from './azure/testEntraProvider';
import type { Logger } from './core/logger';
import { OperationTracker } from './core/tracker';
import type { CommandContext } from './commands/commandContext';
import { QuickPickers } from './commands/pickers';
import { registerCommands } from './commands/registerCommands';
import { registerStreamingPanelSerializer } from './panel/streamingPanel';
import { ConnectionManager } from './services/connectionManager';
import { createLogger, LOG_CHANNEL_NAME } from './services/logChannel';
import { showOperationNotifications } from './services/notifications';
import { environmentCredentials, RegistryStore } from './services/registryStore';
import type { ExtensionSettings } from './services/settings';
import { SettingsWatcher } from './services/settingsWatcher';
import { StreamingDataSource } from './services/streamingDataSource';
import { TrackerHost } from './services/trackerHost';
import { OperationsStatusBar } from './statusBar/operationsStatusBar';
import type { TreeNode } from './tree/nodes';
import { RegistryTreeModel, type AzureTreeSource } from './tree/registryTreeModel';
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
  const userAgent = userAgentOf(context);
  const { account, catalog, cloud, testProvider } = createAzure(context, settings, logger, userAgent);
  const connections = createConnections(new RegistryCredentialSource(store, catalog, cloud), account, settings, logger, userAgent);
  const tracker = createTracker(connections, settings.current, logger);
  const trackerHost = new TrackerHost(tracker, context.globalState, logger);
  const dataSource = new StreamingDataSource(tracker, connections);
  const tree = createTreeModel(store, connections, settings, logger, azureTreeSource(account, catalog, store, settings), tracker);
  const aksHelp = new AksHelpDocuments(cloud);
  const provider = new RegistryTreeProvider(tree);
  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const pickers = new QuickPickers(store, connections, () => settings.current.pageSize, () =>
    catalog.knownRegistries().map(({ registry, subscription }) => ({
      loginServer: registry.loginServer,
      name: registry.name,
      detail: `${registry.sku} · ${registry.location} · ${subscription.displayName}`,
    })),
  );
  const ctx: CommandContext = {
    extension: context,
    store,
    connections,
    tree,
    treeView,
    tracker,
    dataSource,
    pickers,
    logger,
    logChannel,
    azure: { account, catalog, cloud },
    aksHelp,
    settings: () => settings.current,
  };

  context.subscriptions.push(
    // Disposed in this order: the snapshot is saved before the tracker stops, the log goes last.
    trackerHost,
    tracker,
    settings,
    ...(testProvider ? [testProvider] : []),
    account,
    aksHelp,
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
    account.onDidChange(() => {
      // Sign-out (here or in VS Code's Accounts menu) clears every ACR token obtained with it.
      catalog.clear();
      connections.forgetAll();
      tree.refreshRoots();
      const azure = tree.azureRoot();
      if (azure) {
        tree.refresh(azure);
      }
    }),
    settings.onDidChangeAzure(({ cloudChanged }) => {
      const azure = tree.azureRoot();
      if (!cloudChanged) {
        // Only the subscription filter: the account, its tokens and the other registries stay.
        if (azure) {
          tree.refresh(azure);
        }
        return;
      }
      catalog.clear();
      connections.forgetAll();
      void account.restore();
      tree.refresh();
    }),
    ...registerCommands(ctx),
    logChannel,
  );
  registerStreamingPanelSerializer(context, dataSource);
  trackerHost.restore();
  void account.restore();
  settings.report(settings.current.problems);
  logger.info(`Activated; ${store.list().length} registr${store.list().length === 1 ? 'y' : 'ies'} listed.`);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

function userAgentOf(context: vscode.ExtensionContext): string {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  return `acr-artifact-streaming-vscode/${version} vscode/${vscode.version}`;
}

/** The Azure account, what it discovers, and (only for a local emulator) the test sign-in. */
function createAzure(context: vscode.ExtensionContext, settings: SettingsWatcher, logger: Logger, userAgent: string) {
  const testProvider = registerTestEntraProvider(process.env, context.globalState);
  const cloud = () => settings.current.azure.cloud;
  const account = new AzureAccount(vscodeAuthentication(), cloud, context.globalState, logger);
  const catalog = new AzureCatalog({
    credential: (tenantId) => account.credential(tenantId),
    cloud,
    filter: () => settings.current.azure.subscriptions,
    logger,
    userAgent,
  });
  return { account, catalog, cloud, testProvider };
}

function vscodeAuthentication(): AuthenticationApi {
  return {
    getSession: (providerId, scopes, options) => vscode.authentication.getSession(providerId, [...scopes], options),
    onDidChangeSessions: (listener) => vscode.authentication.onDidChangeSessions((event) => listener(event.provider.id)),
  };
}

function createConnections(credentials: RegistryCredentialSource, account: AzureAccount, settings: SettingsWatcher, logger: Logger, userAgent: string): ConnectionManager {
  return new ConnectionManager({
    credentials,
    entraCredential: (tenantId) => account.credential(tenantId),
    logger,
    userAgent,
    badgeConcurrency: () => settings.current.maxConcurrentRequests,
    allowInsecure: () => settings.current.allowInsecureRegistries,
  });
}

function azureTreeSource(account: AzureAccount, catalog: AzureCatalog, store: RegistryStore, settings: SettingsWatcher): AzureTreeSource {
  return {
    // Shown once there is something else in the tree, or when signed in; an empty tree shows the welcome view.
    visible: () => account.isSignedIn || store.list().length > 0,
    account: () => (account.status.kind === 'signedIn' ? account.status.label : undefined),
    cloudName: () => settings.current.azure.cloud.displayName,
    subscriptions: async () => {
      const listing = await catalog.subscriptionListing();
      const shown = await catalog.shownSubscriptions();
      const tenantLabels =
        listing.tenants.length > 1 ? new Map(listing.tenants.map((t) => [t.tenantId, t.displayName ?? t.defaultDomain ?? t.tenantId])) : undefined;
      return {
        subscriptions: shown,
        tenantLabels,
        hidden: listing.all.length - shown.length,
        failedTenants: listing.failedTenants.map((f) => ({
          tenantId: f.tenant.tenantId,
          label: f.tenant.displayName ?? f.tenant.tenantId,
          reason: f.reason,
          signInNeeded: f.signInNeeded,
        })),
      };
    },
    registries: async (subscription) => (await catalog.registries(subscription)).map((found) => found.registry),
    forget: () => catalog.clear(),
  };
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

function createTreeModel(
  store: RegistryStore,
  connections: ConnectionManager,
  settings: SettingsWatcher,
  logger: Logger,
  azure: AzureTreeSource,
  tracker: OperationTracker,
): RegistryTreeModel {
  return new RegistryTreeModel({
    azure,
    // Conversions the registry started (auto-conversion on push) are tracked as soon as a badge shows them.
    onBadgeLoaded: (node, badge) => {
      if (badge.kind === 'converting') {
        tracker.track(node.loginServer, { ...badge.operation, repository: node.repository, digest: node.digest }, { image: `${node.repository}:${node.tag}`, digest: node.digest });
      }
    },
    registries: () => store.list().map((entry) => ({ loginServer: entry.endpoint.loginServer, authLabel: store.authLabel(entry) })),
    session: (loginServer) => connections.session(loginServer),
    forgetBadge: (loginServer, repository, digest) => connections.forgetBadge(loginServer, repository, digest),
    pageSize: () => settings.current.pageSize,
    maxConcurrentRequests: settings.current.maxConcurrentRequests,
    logger,
  });
}
