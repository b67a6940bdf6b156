/**
 * The page: two tabs (Operations, Referrers), a live region, and the glue between host
 * messages, the renderers and the saved state. It renders what it receives and sends
 * intents back; it never fetches anything itself.
 */
import type { TrackedStatus } from '../src/core/models';
import type { HostMessage, OperationView, PanelTab, ReferrersRequest, ReferrersState } from '../src/panel/protocol';
import { Announcer } from './announcer';
import { ElapsedTicker } from './elapsedTicker';
import { HostChannel, type VsCodeApi } from './messaging';
import { custom, h, setShown, setText } from './render/dom';
import { statusLabel } from './render/format';
import { OperationsView } from './render/operations';
import { ReferrersView } from './render/referrers';
import { StateStore } from './state';

type PendingRequest = { kind: 'cancel'; key: string; image: string } | { kind: 'referrers' };

const TAB_IDS: Record<PanelTab, string> = { operations: 'tab-operations', referrers: 'tab-referrers' };

export interface AppEnvironment {
  doc: Document;
  win: Window;
  api: VsCodeApi;
  now?: () => number;
}

export class PanelApp {
  private readonly doc: Document;
  private readonly channel: HostChannel;
  private readonly store: StateStore;
  private readonly now: () => number;
  private readonly announcer: Announcer;
  private readonly ticker: ElapsedTicker;
  private readonly operations: OperationsView;
  private readonly referrers: ReferrersView;
  private readonly pending = new Map<string, PendingRequest>();
  /** Last status seen per operation; undefined until `init`, so the first list is not read out. */
  private statuses: Map<string, TrackedStatus> | undefined;
  private panels: HTMLElement | undefined;
  private badge: HTMLElement | undefined;
  private root: HTMLElement | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(env: AppEnvironment) {
    this.doc = env.doc;
    this.now = env.now ?? Date.now;
    this.channel = new HostChannel(env.api, env.win);
    this.store = new StateStore(env.api);
    this.announcer = new Announcer(env.doc, env.win);
    this.ticker = new ElapsedTicker(env.win, () => this.operations.tick(this.now()));
    this.operations = new OperationsView(env.doc, {
      cancel: (op) => this.cancel(op),
      showReferrers: (op) => {
        if (op.digest) {
          this.requestReferrers({ loginServer: op.loginServer, repository: op.repository, digest: op.digest, image: op.image });
        }
      },
      copy: (text) => this.copy(text),
      openError: (op) => this.channel.post({ type: 'openError', key: op.key }),
    });
    this.referrers = new ReferrersView(env.doc, {
      refresh: (request) => this.requestReferrers(request),
      copy: (text) => this.copy(text),
    });
  }

  /** Builds the page into `root`, listens to the host and tells it the page is ready. */
  mount(root: HTMLElement): void {
    const doc = this.doc;
    this.root = root;
    // A plain span, not vscode-badge: the badge's template has a style attribute, which the CSP
    // (no 'unsafe-inline') reports as a violation when the component first renders.
    this.badge = h(doc, 'span', { className: 'count-badge', attrs: { 'aria-label': 'running' } });
    this.badge.hidden = true;
    const operationsTab = custom(doc, 'vscode-panel-tab', { attrs: { id: TAB_IDS.operations } }, h(doc, 'span', { text: 'Operations' }), this.badge);
    const referrersTab = custom(doc, 'vscode-panel-tab', { attrs: { id: TAB_IDS.referrers } }, h(doc, 'span', { text: 'Referrers' }));
    this.panels = custom(
      doc,
      'vscode-panels',
      { attrs: { activeid: TAB_IDS[this.store.value.tab], 'aria-label': 'Artifact streaming' } },
      operationsTab,
      referrersTab,
      custom(doc, 'vscode-panel-view', { attrs: { id: 'view-operations' } }, this.operations.root),
      custom(doc, 'vscode-panel-view', { attrs: { id: 'view-referrers' } }, this.referrers.root),
    );
    this.panels.addEventListener('change', (event) => {
      if (event.target === this.panels) {
        // The toolkit sets the `activeid` property first and reflects it to the attribute later.
        const active = (this.panels as HTMLElement & { activeid?: string }).activeid ?? this.panels.getAttribute('activeid');
        const tab = active === TAB_IDS.referrers ? 'referrers' : 'operations';
        this.store.update({ tab });
      }
    });
    root.replaceChildren(this.announcer.region, this.panels);
    this.unsubscribe = this.channel.onMessage((message) => this.handle(message));
    this.channel.post({ type: 'ready' });
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'init': {
        this.root?.removeAttribute('aria-busy');
        this.statuses = undefined;
        this.showOperations(message.state.operations);
        this.referrers.render(message.state.referrers);
        if (message.state.tab) {
          this.selectTab(message.state.tab);
        }
        const remembered = this.store.value.referrers;
        if (message.state.referrers) {
          this.store.update({ referrers: message.state.referrers.request });
        } else if (remembered) {
          // The host lost track (e.g. revived without a serializer): ask again.
          this.requestReferrers(remembered, false);
        }
        return;
      }
      case 'operations':
        this.showOperations(message.operations);
        return;
      case 'referrers': {
        const { type: _type, reveal, ...state } = message;
        this.showReferrers(state, reveal === true);
        return;
      }
      case 'reply':
        this.onReply(message.requestId, message.ok, message.error?.message);
        return;
      default: {
        const unexpected: never = message;
        console.warn(`Unhandled message ${String((unexpected as { type?: unknown }).type)}`);
      }
    }
  }

  dispose(): void {
    this.unsubscribe?.();
    this.ticker.dispose();
    this.announcer.dispose();
  }

  private showOperations(operations: readonly OperationView[]): void {
    const changes: string[] = [];
    const statuses = new Map<string, TrackedStatus>();
    for (const op of operations) {
      statuses.set(op.key, op.status);
      const before = this.statuses?.get(op.key);
      if (this.statuses !== undefined && before !== op.status) {
        changes.push(`${op.image}: ${statusLabel(op.status)}${op.status === 'Running' ? ` ${Math.round(op.progress)}%` : ''}`);
      }
    }
    this.statuses = statuses;
    this.operations.update(operations, this.now());
    const running = this.operations.ongoingCount();
    if (this.badge) {
      setShown(this.badge, running > 0);
      setText(this.badge, String(running));
      this.badge.setAttribute('aria-label', `${running} running`);
    }
    this.ticker.update(running > 0);
    if (changes.length > 0) {
      this.announcer.announce(changes.join('. '));
    }
  }

  private showReferrers(state: ReferrersState, reveal: boolean): void {
    this.referrers.render(state);
    this.store.update({ referrers: state.request });
    if (reveal) {
      this.selectTab('referrers');
    }
    const image = state.request.image ?? state.request.repository;
    if (state.status === 'loaded') {
      const count = state.referrers?.length ?? 0;
      this.announcer.announce(`${count} ${count === 1 ? 'referrer' : 'referrers'} of ${image}.`);
    } else if (state.status === 'error') {
      this.announcer.announce(`Could not list the referrers of ${image}: ${state.error?.message ?? 'unknown error'}`);
    }
  }

  private selectTab(tab: PanelTab): void {
    this.panels?.setAttribute('activeid', TAB_IDS[tab]);
    this.store.update({ tab });
  }

  private requestReferrers(request: ReferrersRequest, reveal = true): void {
    const requestId = this.channel.requestId();
    if (!this.channel.post({ type: 'showReferrers', requestId, ...request })) {
      return;
    }
    this.pending.set(requestId, { kind: 'referrers' });
    // Show the loading state at once; the host's messages follow.
    this.showReferrers({ request, status: 'loading' }, reveal);
  }

  private cancel(op: OperationView): void {
    const requestId = this.channel.requestId();
    if (this.channel.post({ type: 'cancelOperation', requestId, key: op.key })) {
      this.pending.set(requestId, { kind: 'cancel', key: op.key, image: op.image });
      this.operations.setCancelState(op.key, true);
      this.announcer.announce(`Cancelling the conversion of ${op.image}.`);
    }
  }

  private copy(text: string): void {
    if (this.channel.post({ type: 'copy', text })) {
      this.announcer.announce('Copied to the clipboard.');
    }
  }

  private onReply(requestId: string, ok: boolean, error: string | undefined): void {
    const request = this.pending.get(requestId);
    if (!request) {
      return;
    }
    this.pending.delete(requestId);
    if (request.kind === 'cancel' && !ok) {
      const reason = error ?? 'unknown error';
      this.operations.setCancelState(request.key, false, reason);
      this.announcer.announce(`Could not cancel the conversion of ${request.image}: ${reason}`);
    }
  }
}
