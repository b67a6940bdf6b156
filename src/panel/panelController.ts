/**
 * The panel host's logic, without VS Code: it answers the page's messages, holds posts until
 * the page says it is ready, coalesces operation updates and loads referrers (one request at
 * a time; a new one aborts the old). `StreamingPanel` wires it to a real WebviewPanel.
 */
import { isAcrStreamingError } from '../core/errors';
import type { PanelDataSource } from './panelDataSource';
import {
  LIMITS,
  parseHostMessage,
  parseReferrersRequest,
  parseWebviewMessage,
  type HostMessage,
  type MessageError,
  type OperationView,
  type PanelTab,
  type ReferrersRequest,
  type ReferrersState,
} from './protocol';
import type { Clock } from '../core/tracker/clock';
import { UpdateThrottle } from './updateThrottle';
import { toOperationViews, toReferrerViews, truncate } from './viewModels';

/** What the host does for the page that needs VS Code. */
export interface PanelHostActions {
  copy(text: string): PromiseLike<void>;
  /** Shows an operation's error where the user can act on it (a notification). */
  showError(operation: OperationView): void;
  /** A problem worth a log line (never with message contents: they may be attacker text). */
  warn(message: string): void;
}

/** Posts to the page; resolves false when the page is gone. */
export type PostToPage = (message: HostMessage) => PromiseLike<boolean>;

export interface PanelControllerOptions {
  /** Minimum time between two operation updates; 250 ms keeps it at 4 a second. */
  updateIntervalMs?: number;
  clock?: Clock;
}

export const DEFAULT_UPDATE_INTERVAL_MS = 250;
const MAX_QUEUED = 100;

/** A thrown value as the protocol carries it: the core's code and advice where there is one. */
export function toMessageError(error: unknown): MessageError {
  if (isAcrStreamingError(error)) {
    return { code: error.code, message: truncate(error.describe(), LIMITS.longText) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERROR', message: truncate(message || 'Something went wrong.', LIMITS.longText) };
}

export class PanelController {
  private ready = false;
  private disposed = false;
  /** Replies waiting for the page; everything else is carried by the next `init`. */
  private queued: HostMessage[] = [];
  private referrers: ReferrersState | undefined;
  private referrersAbort: AbortController | undefined;
  private pendingTab: PanelTab | undefined;
  private readonly throttle: UpdateThrottle;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly source: PanelDataSource,
    private readonly post: PostToPage,
    private readonly actions: PanelHostActions,
    options: PanelControllerOptions = {},
  ) {
    this.throttle = new UpdateThrottle(() => this.postOperations(), options.updateIntervalMs ?? DEFAULT_UPDATE_INTERVAL_MS, options.clock);
    this.subscription = source.onDidChangeOperations(() => this.throttle.schedule());
  }

  /** Whether the page has said it is ready since it was last (re)loaded. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The referrers section as the page has it (or will get it in `init`). */
  get referrersState(): ReferrersState | undefined {
    return this.referrers;
  }

  /** Entry point for everything the page posts. Invalid messages are dropped and logged. */
  handleMessage(raw: unknown): void {
    if (this.disposed) {
      return;
    }
    const message = parseWebviewMessage(raw);
    if (message === undefined) {
      const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type : typeof raw;
      this.actions.warn(`Dropped an invalid message from the panel (type ${truncate(type, 40)}).`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.onReady();
        return;
      case 'cancelOperation':
        // Don't wait: the reply goes back by message.
        void this.cancel(message.requestId, message.key);
        return;
      case 'showReferrers': {
        const { requestId, loginServer, repository, digest, image } = message;
        this.reply(requestId, true);
        // Don't wait: progress and result go back as `referrers` messages.
        void this.loadReferrers({ loginServer, repository, digest, image }, false);
        return;
      }
      case 'copy':
        void Promise.resolve(this.actions.copy(message.text)).catch((error: unknown) => this.actions.warn(`Copy failed: ${toMessageError(error).message}`));
        return;
      case 'openError':
        this.openError(message.key);
        return;
      default: {
        const unexpected: never = message;
        this.actions.warn(`Unhandled panel message ${JSON.stringify(unexpected).slice(0, 40)}`);
      }
    }
  }

  /**
   * Shows an image's referrers, asked for from outside the page (a command). `reveal` switches
   * the page to the Referrers tab. Returns false when the request is not valid.
   */
  showReferrers(request: ReferrersRequest, reveal = true): boolean {
    const valid = parseReferrersRequest(request);
    if (valid === undefined) {
      this.actions.warn('Ignored an invalid referrers request.');
      return false;
    }
    if (reveal && !this.ready) {
      this.pendingTab = 'referrers';
    }
    // Don't wait: the result goes to the page by message.
    void this.loadReferrers(valid, reveal);
    return true;
  }

  /** The page's document was destroyed (panel hidden); it will say `ready` again when back. */
  pageHidden(): void {
    this.ready = false;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.ready = false;
    this.queued = [];
    this.referrersAbort?.abort();
    this.referrersAbort = undefined;
    this.throttle.dispose();
    this.subscription.dispose();
  }

  private onReady(): void {
    this.ready = true;
    const tab = this.pendingTab;
    this.pendingTab = undefined;
    this.send({ type: 'init', state: { operations: this.snapshot(), referrers: this.referrers, tab } });
    const queued = this.queued;
    this.queued = [];
    for (const message of queued) {
      this.send(message);
    }
  }

  private snapshot(): OperationView[] {
    return toOperationViews(this.source.listOperations());
  }

  private postOperations(): void {
    if (this.ready && !this.disposed) {
      this.send({ type: 'operations', operations: this.snapshot() });
    }
  }

  private async cancel(requestId: string, key: string): Promise<void> {
    try {
      await this.source.cancelOperation(key);
      this.reply(requestId, true);
    } catch (error) {
      this.reply(requestId, false, toMessageError(error));
    }
  }

  private openError(key: string): void {
    const operation = this.snapshot().find((op) => op.key === key);
    if (operation === undefined) {
      this.actions.warn('The panel asked about an operation that is no longer tracked.');
      return;
    }
    this.actions.showError(operation);
  }

  private async loadReferrers(request: ReferrersRequest, reveal: boolean): Promise<void> {
    this.referrersAbort?.abort();
    const abort = new AbortController();
    this.referrersAbort = abort;
    this.setReferrers({ request, status: 'loading' }, reveal);
    try {
      const descriptors = await this.source.listReferrers(request.loginServer, request.repository, request.digest, abort.signal);
      if (!abort.signal.aborted) {
        this.setReferrers({ request, status: 'loaded', referrers: toReferrerViews(descriptors) }, false);
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        this.setReferrers({ request, status: 'error', error: toMessageError(error) }, false);
      }
    } finally {
      if (this.referrersAbort === abort) {
        this.referrersAbort = undefined;
      }
    }
  }

  private setReferrers(state: ReferrersState, reveal: boolean): void {
    if (this.disposed) {
      return;
    }
    this.referrers = state;
    if (this.ready) {
      this.send(reveal ? { type: 'referrers', reveal: true, ...state } : { type: 'referrers', ...state });
    }
  }

  private reply(requestId: string, ok: boolean, error?: MessageError): void {
    const message: HostMessage = error === undefined ? { type: 'reply', requestId, ok } : { type: 'reply', requestId, ok, error };
    if (this.ready) {
      this.send(message);
    } else if (this.queued.length < MAX_QUEUED) {
      this.queued.push(message);
    }
  }

  /** Checks what goes out against the same schema the page checks it with. */
  private send(message: HostMessage): void {
    if (parseHostMessage(message) === undefined) {
      this.actions.warn(`Did not post an invalid ${message.type} message to the panel.`);
      return;
    }
    // Don't wait: a hidden page drops posts, and `init` resynchronises it when it is back.
    void Promise.resolve(this.post(message)).catch((error: unknown) => this.actions.warn(`Posting to the panel failed: ${toMessageError(error).message}`));
  }
}
