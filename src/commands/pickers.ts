/**
 * Palette fallbacks: registry, repository and tag quick picks. Lists load while the pick is
 * open (busy); a typed value is accepted when src/core/reference.ts says it is valid.
 */
import * as vscode from 'vscode';
import { toAcrStreamingError } from '../core/errors';
import { isValidDigest, isValidRepository, isValidTag } from '../core/reference';
import type { ConnectionManager } from '../services/connectionManager';
import type { RegistryStore } from '../services/registryStore';
import { shortDigest } from '../tree/markdown';
import { compareByName } from '../tree/sorting';
import type { ImageTarget, TargetPickers } from './commandTargets';
import { quoteInput } from '../core/quoteInput';

interface PickItem<T> extends vscode.QuickPickItem {
  value?: T;
}

interface LoadingPickOptions<T> {
  title: string;
  placeholder: string;
  load(signal: AbortSignal): Promise<PickItem<T>[]>;
  /** An item for what the user typed, or a message saying why it is not valid. */
  fromValue?(value: string): PickItem<T> | string | undefined;
}

/** A quick pick whose items load while it is shown. Resolves undefined when dismissed. */
function loadingPick<T>(options: LoadingPickOptions<T>): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    const controller = new AbortController();
    let loaded: PickItem<T>[] = [];
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    pick.busy = true;
    pick.matchOnDescription = true;
    const render = (): void => {
      const typed = pick.value.trim();
      const extra = typed && options.fromValue ? options.fromValue(typed) : undefined;
      if (extra === undefined || loaded.some((item) => item.label === typed)) {
        pick.items = loaded;
      } else if (typeof extra === 'string') {
        pick.items = [{ label: `$(error) ${extra}`, alwaysShow: true }, ...loaded];
      } else {
        pick.items = [{ ...extra, alwaysShow: true }, ...loaded];
      }
    };
    const disposables = [
      pick.onDidChangeValue(render),
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0];
        if (chosen?.value !== undefined) {
          resolve(chosen.value);
          pick.hide();
        }
      }),
      pick.onDidHide(() => {
        controller.abort();
        resolve(undefined);
        for (const d of disposables) {
          d.dispose();
        }
        pick.dispose();
      }),
    ];
    pick.show();
    options.load(controller.signal).then(
      (items) => {
        loaded = items;
        pick.busy = false;
        render();
      },
      (error: unknown) => {
        const failure = toAcrStreamingError(error);
        pick.busy = false;
        if (failure.code !== 'CANCELLED') {
          loaded = [{ label: `$(warning) ${failure.message}`, detail: failure.hint, alwaysShow: true }];
          render();
        }
      },
    );
  });
}

/** A registry found through Azure, as the registry picker lists it. */
export interface DiscoveredChoice {
  loginServer: string;
  name: string;
  detail: string;
}

export class QuickPickers implements TargetPickers {
  constructor(
    private readonly store: RegistryStore,
    private readonly connections: ConnectionManager,
    private readonly pageSize: () => number,
    /** Registries the Azure node has listed so far. */
    private readonly discovered: () => DiscoveredChoice[] = () => [],
  ) {}

  async pickRegistry(): Promise<string | undefined> {
    const entries = this.store.list();
    const listed = new Set(entries.map((entry) => entry.endpoint.loginServer));
    const discovered = this.discovered().filter((choice) => !listed.has(choice.loginServer));
    if (entries.length === 0 && discovered.length === 0) {
      const add = 'Add Registry…';
      const signIn = 'Sign In to Azure…';
      const choice = await vscode.window.showInformationMessage('No registries yet: add one, or sign in to Azure and expand a subscription.', add, signIn);
      if (choice === add) {
        await vscode.commands.executeCommand('acrStreaming.addRegistry');
      } else if (choice === signIn) {
        await vscode.commands.executeCommand('acrStreaming.signInToAzure');
      }
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      [
        ...entries.map((entry) => ({ label: entry.endpoint.loginServer, description: this.store.authLabel(entry), value: entry.endpoint.loginServer })),
        ...discovered.map((choice) => ({ label: choice.name, description: choice.loginServer, detail: choice.detail, value: choice.loginServer })),
      ],
      { title: 'Registry', placeHolder: 'Pick a registry', matchOnDescription: true },
    );
    return picked?.value;
  }

  pickRepository(loginServer: string): Promise<string | undefined> {
    return loadingPick<string>({
      title: `Repository in ${loginServer}`,
      placeholder: 'Pick a repository, or type its name',
      load: async (signal) => {
        const session = await this.connections.session(loginServer);
        const page = await session.registry.listRepositories({ pageSize: this.pageSize(), signal });
        return [...page.items].sort(compareByName).map((name) => ({ label: name, value: name }));
      },
      fromValue: (value) => (isValidRepository(value) ? { label: value, description: 'typed name', value } : `${quoteInput(value)} is not a valid repository name`),
    });
  }

  pickImage(loginServer: string, repository: string, options: { allowAll?: boolean } = {}): Promise<ImageTarget | 'all' | undefined> {
    return loadingPick<ImageTarget | 'all'>({
      title: `Image in ${loginServer}/${repository}`,
      placeholder: 'Pick a tag, or type a tag or a digest (sha256:…)',
      load: async (signal) => {
        const session = await this.connections.session(loginServer);
        const page = await session.registry.listTags(repository, { pageSize: this.pageSize(), signal });
        const items: PickItem<ImageTarget | 'all'>[] = page.items.map((tag) => ({
          label: tag.name,
          description: shortDigest(tag.digest),
          detail: tag.createdTime ? `created ${tag.createdTime}` : undefined,
          value: { loginServer, repository, tag: tag.name, digest: tag.digest },
        }));
        if (options.allowAll) {
          items.unshift({ label: '$(list-flat) All convertible tags', description: repository, value: 'all' });
        }
        return items;
      },
      fromValue: (value) => {
        if (isValidDigest(value)) {
          return { label: value, description: 'typed digest', value: { loginServer, repository, digest: value } };
        }
        if (isValidTag(value)) {
          return { label: value, description: 'typed tag', value: { loginServer, repository, tag: value } };
        }
        return `${quoteInput(value)} is neither a tag nor a digest`;
      },
    });
  }
}
