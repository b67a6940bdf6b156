/**
 * The `acrStreaming.*` settings, re-read when they change (or when the workspace becomes
 * trusted); problems reported once each. Workspace values are untrusted input: user-only
 * settings are read from the user's settings, and registries keep where they were written
 * (settings.ts).
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import {
  readSettings,
  registrySettingValues,
  settingGetter,
  SETTING_KEYS,
  SETTINGS_SECTION,
  type ExtensionSettings,
  type RegistrySettingValues,
  type SettingProblem,
} from './settings';

export class SettingsWatcher implements vscode.Disposable {
  private settings: ExtensionSettings;
  private readonly reported = new Set<string>();
  private readonly registriesChanged = new vscode.EventEmitter<void>();
  private readonly azureChanged = new vscode.EventEmitter<{ cloudChanged: boolean }>();
  private readonly subscriptions: vscode.Disposable[];

  /** Fires when `acrStreaming.registries` changes. */
  readonly onDidChangeRegistries = this.registriesChanged.event;
  /** Fires when an `acrStreaming.azure.*` setting changes; `cloudChanged` unless only the subscription filter did. */
  readonly onDidChangeAzure = this.azureChanged.event;

  constructor(private readonly logger: Logger) {
    this.settings = this.read();
    const onConfiguration = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) {
        return;
      }
      this.settings = this.read();
      this.report(this.settings.problems);
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.${SETTING_KEYS.registries}`)) {
        this.registriesChanged.fire();
      }
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.azure`)) {
        const cloudChanged = [SETTING_KEYS.azureCloud, SETTING_KEYS.azureCustomCloud].some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
        this.azureChanged.fire({ cloudChanged });
      }
    });
    // Trusting the workspace brings its registries in (listed, still without credentials).
    const onTrust = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      this.settings = this.read();
      this.report(this.settings.problems);
      this.registriesChanged.fire();
    });
    this.subscriptions = [onConfiguration, onTrust];
  }

  get current(): ExtensionSettings {
    return this.settings;
  }

  /** The raw `acrStreaming.registries` values by origin; the registry store parses them. */
  readRegistries(): RegistrySettingValues {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return registrySettingValues((key) => config.inspect(key), vscode.workspace.isTrusted);
  }

  /** Logs each new problem and shows one warning with a way to the settings. */
  report(problems: readonly SettingProblem[]): void {
    const fresh = problems.filter((problem) => !this.reported.has(problem.message));
    for (const problem of fresh) {
      this.reported.add(problem.message);
      this.logger.warn(problem.message);
    }
    if (fresh.length === 0) {
      return;
    }
    const open = 'Open Settings';
    const text = fresh.length === 1 ? fresh[0].message : `${fresh.length} problems in the ACR Streaming settings; see the log.`;
    // Don't wait: the warning stays until the user acts on it.
    void Promise.resolve(vscode.window.showWarningMessage(text, open)).then((choice) =>
      choice === open ? vscode.commands.executeCommand('workbench.action.openSettings', fresh[0].setting.replace(/\[\d+\]$/, '')) : undefined,
    );
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.registriesChanged.dispose();
    this.azureChanged.dispose();
  }

  private read(): ExtensionSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspect = (key: string) => config.inspect(key);
    return readSettings(settingGetter(inspect, (key) => config.get(key)), registrySettingValues(inspect, vscode.workspace.isTrusted));
  }
}
