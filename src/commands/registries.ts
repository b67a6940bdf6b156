/** Add Registry…, Sign In…, Remove Registry. Passwords go to SecretStorage only. */
import * as vscode from 'vscode';
import { toAcrStreamingError } from '../core/errors';
import { parseRegistry, type RegistryEndpoint } from '../core/reference';
import { assertAllowedRegistryTransport } from '../core/registryHost';
import type { NewAuth } from '../services/registryStore';
import { confirmWorkspaceRegistry } from '../services/workspaceRegistryTrust';
import { SETTING_KEYS, SETTINGS_SECTION } from '../services/settings';
import type { RegistryNode } from '../tree/nodes';
import type { CommandContext } from './commandContext';
import { resolveRegistry } from './commandTargets';

/** Tenant ids are GUIDs or domain names. */
const TENANT_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9][a-z0-9.-]{0,252}\.[a-z]{2,63})$/i;

/** Asks how to sign in; undefined when the user backs out. */
export async function askForAuth(loginServer: string): Promise<NewAuth | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(key) Username and password', detail: 'Admin user or a repository-scoped token. The password is kept in VS Code\'s secret storage.', auth: 'basic' as const },
      { label: '$(azure) Microsoft Entra ID', detail: 'The Microsoft account signed in to VS Code.', auth: 'entra' as const },
      { label: '$(globe) Anonymous', detail: 'Only if anonymous pull is enabled on the registry; reads only.', auth: 'anonymous' as const },
    ],
    { title: `Sign in to ${loginServer}`, placeHolder: 'How should the extension sign in?', ignoreFocusOut: true },
  );
  switch (choice?.auth) {
    case undefined:
      return undefined;
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'entra': {
      const tenantId = await vscode.window.showInputBox({
        title: `Sign in to ${loginServer}: tenant`,
        prompt: 'Microsoft Entra tenant (id or domain). Leave empty for your default tenant.',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' || TENANT_RE.test(value.trim()) ? undefined : 'Give a tenant id (GUID) or a domain such as contoso.onmicrosoft.com.'),
      });
      if (tenantId === undefined) {
        return undefined;
      }
      return tenantId.trim() ? { kind: 'entra', tenantId: tenantId.trim() } : { kind: 'entra' };
    }
    case 'basic': {
      const username = await vscode.window.showInputBox({
        title: `Sign in to ${loginServer}: username`,
        prompt: 'Username (the admin user, or the token name of a repository-scoped token)',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' ? 'The username is empty.' : value.includes(':') ? 'A username cannot contain ":".' : undefined),
      });
      if (username === undefined) {
        return undefined;
      }
      const password = await vscode.window.showInputBox({
        title: `Sign in to ${loginServer}: password`,
        prompt: `Password or token for ${username.trim()}`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (value === '' ? 'The password is empty.' : undefined),
      });
      if (password === undefined) {
        return undefined;
      }
      return { kind: 'basic', username: username.trim(), password };
    }
  }
}

/** A registry typed into Add Registry: valid, not link-local, and http only where allowed. */
function parseAddedRegistry(ctx: CommandContext, input: string): RegistryEndpoint {
  const endpoint = parseRegistry(input);
  assertAllowedRegistryTransport(endpoint.baseUrl, ctx.settings().allowInsecureRegistries, `${SETTINGS_SECTION}.${SETTING_KEYS.allowInsecureRegistries}`);
  return endpoint;
}

export async function addRegistryCommand(ctx: CommandContext): Promise<void> {
  let endpoint: RegistryEndpoint | undefined;
  const input = await vscode.window.showInputBox({
    title: 'Add Registry',
    prompt: 'Login server (myregistry.azurecr.io), registry name, or URL (https://host:port)',
    placeHolder: 'myregistry.azurecr.io',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        parseAddedRegistry(ctx, value);
        return undefined;
      } catch (error) {
        return toAcrStreamingError(error).describe();
      }
    },
  });
  if (input === undefined) {
    return;
  }
  try {
    endpoint = parseAddedRegistry(ctx, input);
  } catch (error) {
    void vscode.window.showErrorMessage(toAcrStreamingError(error).describe());
    return;
  }
  const auth = await askForAuth(endpoint.loginServer);
  if (!auth) {
    return;
  }
  await ctx.store.add(endpoint, auth);
  ctx.connections.forget(endpoint.loginServer);
  ctx.logger.info(`Added ${endpoint.loginServer} (${auth.kind}).`);
  const loginServer = endpoint.loginServer;
  const node = ctx.tree.rootNodes().find((root): root is RegistryNode => root.kind === 'registry' && root.loginServer === loginServer);
  if (node) {
    ctx.tree.refresh(node);
    // Don't wait: revealing is a courtesy; the tree may not be visible.
    void Promise.resolve(ctx.treeView.reveal(node, { select: true, focus: false, expand: true })).catch(() => undefined);
  }
}

export async function signInCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  const loginServer = await resolveRegistry(node, ctx.pickers);
  if (!loginServer) {
    return;
  }
  if (!ctx.store.get(loginServer) && ctx.azure.catalog.registryFor(loginServer)) {
    // A registry found through Azure signs in with the Azure account.
    await vscode.commands.executeCommand('acrStreaming.signInToAzure');
    return;
  }
  // A registry only the workspace lists: ask once before anything of the user's goes there.
  const trust = await confirmWorkspaceRegistry(ctx.store, loginServer, async (message, detail, actions) =>
    vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  );
  if (trust === 'declined') {
    return;
  }
  if (trust === 'use-environment') {
    ctx.connections.forget(loginServer);
    ctx.logger.info(`${loginServer} (workspace settings) trusted with the environment credentials.`);
    refreshRegistry(ctx, loginServer);
    return;
  }
  const auth = await askForAuth(loginServer);
  if (!auth) {
    return;
  }
  await ctx.store.setAuth(loginServer, auth);
  ctx.connections.forget(loginServer);
  ctx.logger.info(`Sign-in for ${loginServer} changed to ${auth.kind}.`);
  refreshRegistry(ctx, loginServer);
}

function refreshRegistry(ctx: CommandContext, loginServer: string): void {
  const root = ctx.tree.rootNodes().find((r): r is RegistryNode => r.kind === 'registry' && r.loginServer === loginServer);
  if (root) {
    ctx.tree.refresh(root);
  }
}

export async function removeRegistryCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  const loginServer = await resolveRegistry(node, ctx.pickers);
  if (!loginServer) {
    return;
  }
  const remove = 'Remove';
  const answer = await vscode.window.showWarningMessage(
    `Remove ${loginServer} from the Registries view?`,
    { modal: true, detail: 'Its stored sign-in (and password) is deleted. Nothing changes in the registry itself.' },
    remove,
  );
  if (answer !== remove) {
    return;
  }
  const { stillInSettings } = await ctx.store.remove(loginServer);
  ctx.connections.forget(loginServer);
  if (stillInSettings) {
    const edit = 'Remove from Settings';
    const choice = await vscode.window.showInformationMessage(`${loginServer} is also listed in the ${SETTINGS_SECTION}.${SETTING_KEYS.registries} setting.`, edit);
    if (choice === edit) {
      await removeFromSettings(loginServer);
    }
  }
}

/** Drops every entry naming `loginServer` from each scope that lists it. */
async function removeFromSettings(loginServer: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<unknown[]>(SETTING_KEYS.registries);
  const scopes: Array<[unknown[] | undefined, vscode.ConfigurationTarget]> = [
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
  ];
  for (const [value, target] of scopes) {
    if (!Array.isArray(value)) {
      continue;
    }
    const kept = value.filter((entry) => {
      try {
        return typeof entry !== 'string' || parseRegistry(entry).loginServer !== loginServer;
      } catch {
        return true;
      }
    });
    if (kept.length !== value.length) {
      await config.update(SETTING_KEYS.registries, kept, target);
    }
  }
}
