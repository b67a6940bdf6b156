/**
 * The VS Code side of the panel against a fake `vscode` module: panel options, the HTML it
 * serves, the serializer, and what dispose leaves behind. (The page itself is tested in
 * Chromium, the logic in panelController.test.ts.)
 */
import * as assert from 'node:assert/strict';
import Module from 'node:module';
import type * as StreamingPanelModule from '../../../src/panel/streamingPanel';
import type { PanelDataSource, TrackedOperation } from '../../../src/panel/panelDataSource';
import type { HostMessage } from '../../../src/panel/protocol';
import { flushPromises } from '../support/fakeClock';
import { DIGEST, REQUEST, tracked } from './fixtures';

interface FakeUri {
  path: string;
  toString(): string;
}

class Emitter<T> {
  private listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
  get size(): number {
    return this.listeners.size;
  }
}

class FakePanel {
  readonly posted: HostMessage[] = [];
  readonly messages = new Emitter<unknown>();
  readonly viewState = new Emitter<{ webviewPanel: FakePanel }>();
  readonly disposed = new Emitter<void>();
  visible = true;
  revealed = 0;
  isDisposed = false;
  readonly webview = {
    options: {} as Record<string, unknown>,
    html: '',
    cspSource: 'https://fake.vscode-cdn.net',
    asWebviewUri: (uri: FakeUri) => ({ toString: () => `https://fake.vscode-cdn.net${uri.path}` }),
    postMessage: async (message: HostMessage) => {
      this.posted.push(message);
      return true;
    },
    onDidReceiveMessage: this.messages.event,
  };
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;

  constructor(readonly viewType: string, readonly title: string, readonly column: number, readonly options: Record<string, unknown>) {}

  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (!this.isDisposed) {
      this.isDisposed = true;
      this.disposed.fire();
    }
  }
  hide(): void {
    this.visible = false;
    this.viewState.fire({ webviewPanel: this });
  }
}

const created: FakePanel[] = [];
const serializers = new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>();
const errorMessages: string[][] = [];
const clipboard: string[] = [];

const fakeVscode = {
  Uri: {
    joinPath: (base: FakeUri, ...parts: string[]): FakeUri => {
      const path = [base.path, ...parts].join('/');
      return { path, toString: () => `file://${path}` };
    },
  },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  window: {
    activeTextEditor: undefined,
    createWebviewPanel: (viewType: string, title: string, column: number, options: Record<string, unknown>) => {
      const panel = new FakePanel(viewType, title, column, options);
      created.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }) => {
      serializers.set(viewType, serializer);
      return { dispose: () => serializers.delete(viewType) };
    },
    showErrorMessage: async (...args: string[]) => {
      errorMessages.push(args);
      return undefined;
    },
  },
  env: {
    clipboard: {
      writeText: async (text: string) => {
        clipboard.push(text);
      },
    },
  },
};

class FakeSource implements PanelDataSource {
  operations: TrackedOperation[] = [tracked({ status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM' })];
  readonly changes = new Emitter<void>();
  referrerRequests: string[][] = [];
  listOperations(): TrackedOperation[] {
    return this.operations;
  }
  onDidChangeOperations(listener: () => void): { dispose(): void } {
    return this.changes.event(listener);
  }
  async listReferrers(loginServer: string, repository: string, digest: string): Promise<[]> {
    this.referrerRequests.push([loginServer, repository, digest]);
    return [];
  }
  async cancelOperation(): Promise<void> {}
}

function makeContext(): { extensionUri: FakeUri; subscriptions: Array<{ dispose(): void }> } {
  return { extensionUri: { path: '/ext', toString: () => 'file:///ext' }, subscriptions: [] };
}

describe('StreamingPanel (fake vscode)', () => {
  let panelModule: typeof StreamingPanelModule;
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  let originalLoad: typeof loader._load;

  before(() => {
    originalLoad = loader._load;
    loader._load = function (request, parent, isMain) {
      return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, parent, isMain);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the fake `vscode` is in place
    panelModule = require('../../../src/panel/streamingPanel') as typeof StreamingPanelModule;
  });

  after(() => {
    loader._load = originalLoad;
  });

  afterEach(() => {
    panelModule.StreamingPanel.currentPanel?.dispose();
    created.length = 0;
    errorMessages.length = 0;
    clipboard.length = 0;
  });

  function open(source = new FakeSource(), context = makeContext(), focus?: typeof REQUEST) {
    const instance = panelModule.StreamingPanel.createOrShow(context as never, source, focus);
    const panel = created.at(-1);
    assert.ok(panel);
    return { instance, panel, source, context };
  }

  it('creates one panel with scripts on, no retained context, and only dist/ and media/ readable', () => {
    const { panel } = open();
    assert.equal(panel.viewType, 'acrStreaming.panel');
    assert.equal(panel.options.enableScripts, true);
    assert.equal(panel.options.retainContextWhenHidden, false);
    const roots = (panel.webview.options.localResourceRoots as FakeUri[]).map((u) => u.path);
    assert.deepEqual(roots, ['/ext/dist', '/ext/media']);
    assert.equal(panel.webview.options.enableScripts, true);
  });

  it('serves the static shell with the webview CSP source and resource URIs', () => {
    const { panel } = open();
    const html = panel.webview.html;
    assert.match(html, /style-src https:\/\/fake\.vscode-cdn\.net 'nonce-[0-9a-f]{32}'/);
    assert.match(html, /<script nonce="[0-9a-f]{32}" src="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\.js"><\/script>/);
    assert.ok(html.includes('href="https://fake.vscode-cdn.net/ext/media/panel.css"'));
    assert.ok(!html.includes(DIGEST), 'no data in the HTML');
  });

  it('talks only after ready, and stops while hidden', async () => {
    const { panel, source } = open();
    assert.equal(panel.posted.length, 0);
    panel.messages.fire({ type: 'ready' });
    assert.equal(panel.posted[0]?.type, 'init');
    panel.hide();
    source.changes.fire();
    await flushPromises();
    assert.equal(panel.posted.length, 1);
  });

  it('reveals the existing panel instead of opening a second, switching to the asked-for referrers', async () => {
    const { instance, panel, source, context } = open();
    panel.messages.fire({ type: 'ready' });
    const again = panelModule.StreamingPanel.createOrShow(context as never, source, REQUEST);
    assert.equal(again, instance);
    assert.equal(created.length, 1);
    assert.equal(panel.revealed, 1);
    await flushPromises();
    assert.deepEqual(source.referrerRequests, [['myreg.azurecr.io', 'samples/hello', DIGEST]]);
    assert.deepEqual(panel.posted[1], { type: 'referrers', reveal: true, request: REQUEST, status: 'loading' });
  });

  it('shows an operation error as a notification with what to do', async () => {
    const { panel } = open();
    panel.messages.fire({ type: 'ready' });
    panel.messages.fire({ type: 'openError', key: tracked().key });
    await flushPromises();
    assert.equal(errorMessages.length, 1);
    assert.match(errorMessages[0]?.[0] ?? '', /samples\/hello:1\.0: conversion failed \(UNSUPPORTED_PLATFORM\)\. Only linux\/amd64/);
    panel.messages.fire({ type: 'copy', text: DIGEST });
    await flushPromises();
    assert.deepEqual(clipboard, [DIGEST]);
  });

  it('revives after a reload through the serializer, re-applying options and the saved referrers', async () => {
    const context = makeContext();
    const source = new FakeSource();
    const registration = panelModule.registerStreamingPanelSerializer(context as never, source);
    assert.ok(context.subscriptions.includes(registration));
    const serializer = serializers.get('acrStreaming.panel');
    assert.ok(serializer);

    const restored = new FakePanel('acrStreaming.panel', 'Artifact Streaming', 1, {});
    await serializer.deserializeWebviewPanel(restored, { version: 1, tab: 'referrers', referrers: REQUEST });
    assert.equal(restored.webview.options.enableScripts, true);
    assert.ok(restored.webview.html.includes('Content-Security-Policy'));
    assert.deepEqual(source.referrerRequests, [['myreg.azurecr.io', 'samples/hello', DIGEST]]);
    restored.messages.fire({ type: 'ready' });
    await flushPromises();
    const init = restored.posted[0];
    assert.ok(init?.type === 'init');
    assert.equal(init.state.referrers?.status, 'loaded');
    assert.equal(init.state.tab, undefined, 'a revived page keeps the tab it saved');

    // State that is not the page's is ignored, not trusted.
    const other = new FakePanel('acrStreaming.panel', 'Artifact Streaming', 1, {});
    await serializer.deserializeWebviewPanel(other, { version: 1, tab: 'referrers', referrers: { ...REQUEST, repository: '../../etc' } });
    assert.equal(source.referrerRequests.length, 1);
    assert.equal(restored.isDisposed, true, 'only one panel at a time');
    registration.dispose();
    assert.equal(serializers.size, 0);
  });

  it('on dispose unsubscribes, leaves context.subscriptions and lets a new panel open', () => {
    const { instance, panel, source, context } = open();
    assert.ok(context.subscriptions.includes(instance));
    assert.equal(source.changes.size, 1);
    panel.dispose();
    assert.equal(source.changes.size, 0);
    assert.equal(panel.messages.size, 0);
    assert.ok(!context.subscriptions.includes(instance));
    assert.equal(panelModule.StreamingPanel.currentPanel, undefined);
    open(source, context);
    assert.equal(created.length, 2);
  });
});
