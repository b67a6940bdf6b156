/**
 * The Operations tab: one card per tracked conversion, updated in place (keyed by the
 * tracker's key) so that a card keeps its focus and position across the several updates a
 * second a running conversion produces.
 */
import type { OperationView } from '../../src/panel/protocol';
import { custom, h, setAttr, setDisabled, setShown, setText } from './dom';
import { elapsedMs, formatDuration, formatTime, isOngoingStatus, shortDigest, statusLabel } from './format';

export interface OperationHandlers {
  cancel(operation: OperationView): void;
  showReferrers(operation: OperationView): void;
  copy(text: string): void;
  openError(operation: OperationView): void;
}

export const EMPTY_OPERATIONS_TEXT = 'No conversions tracked yet. Right-click a tag → Create Streaming Artifact.';

/** A labelled fact (`Started`, `Elapsed`, …) that hides when it has no value. */
class Fact {
  readonly root: HTMLDivElement;
  readonly value: HTMLElement;

  constructor(doc: Document, label: string, value: HTMLElement = h(doc, 'dd')) {
    this.value = value;
    this.root = h(doc, 'div', { className: 'fact' }, h(doc, 'dt', { text: label }), value);
  }

  set(text: string | undefined): void {
    setShown(this.root, text !== undefined);
    setText(this.value, text ?? '');
  }
}

class OperationCard {
  readonly root: HTMLLIElement;
  private view: OperationView;
  private cancelPending = false;
  private readonly title: HTMLHeadingElement;
  private readonly status: HTMLSpanElement;
  private readonly registry: HTMLDivElement;
  private readonly bar: HTMLDivElement;
  private readonly fill: HTMLDivElement;
  private readonly percent: HTMLSpanElement;
  private readonly started: Fact;
  private readonly elapsed: Fact;
  private readonly digest: Fact;
  private readonly details: Fact;
  private readonly errorBox: HTMLDivElement;
  private readonly errorCode: HTMLElement;
  private readonly errorHint: HTMLParagraphElement;
  private readonly lastError: HTMLParagraphElement;
  private readonly actionError: HTMLParagraphElement;
  private readonly cancelButton: HTMLElement;
  private readonly referrersButton: HTMLElement;
  private readonly copyButton: HTMLElement;
  private readonly errorButton: HTMLElement;

  constructor(private readonly doc: Document, view: OperationView, handlers: OperationHandlers) {
    this.view = view;
    // tabindex -1: focus lands here when the button that had it goes away.
    this.title = h(doc, 'h3', { className: 'op-title', attrs: { tabindex: '-1' } });
    this.status = h(doc, 'span', { className: 'op-status' });
    this.registry = h(doc, 'div', { className: 'op-registry' });
    this.fill = h(doc, 'div', { className: 'progress-fill' });
    this.bar = h(doc, 'div', { className: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, this.fill);
    this.percent = h(doc, 'span', { className: 'progress-text', attrs: { 'aria-hidden': 'true' } });
    this.started = new Fact(doc, 'Started');
    this.elapsed = new Fact(doc, 'Elapsed', h(doc, 'dd', { className: 'elapsed' }));
    this.digest = new Fact(doc, 'Digest', h(doc, 'dd', { className: 'mono' }));
    this.details = new Fact(doc, 'Details');
    this.errorCode = h(doc, 'strong', { className: 'op-error-code' });
    this.errorHint = h(doc, 'p', { className: 'op-error-hint' });
    this.lastError = h(doc, 'p', { className: 'op-last-error' });
    this.errorBox = h(doc, 'div', { className: 'op-error', attrs: { role: 'group', 'aria-label': 'Error' } }, this.errorCode, this.errorHint, this.lastError);
    this.actionError = h(doc, 'p', { className: 'op-action-error' });
    this.actionError.hidden = true;

    this.cancelButton = this.button('Cancel', 'secondary', () => handlers.cancel(this.view));
    this.referrersButton = this.button('Show referrers', 'secondary', () => handlers.showReferrers(this.view));
    this.copyButton = this.button('Copy digest', 'secondary', () => {
      if (this.view.digest) {
        handlers.copy(this.view.digest);
      }
    });
    this.errorButton = this.button('Error details', 'secondary', () => handlers.openError(this.view));

    this.root = h(
      doc,
      'li',
      { className: 'operation' },
      h(doc, 'div', { className: 'op-header' }, this.title, this.status),
      this.registry,
      h(doc, 'div', { className: 'op-progress' }, this.bar, this.percent),
      h(doc, 'dl', { className: 'op-facts' }, this.started.root, this.elapsed.root, this.digest.root, this.details.root),
      this.errorBox,
      this.actionError,
      h(doc, 'div', { className: 'op-actions' }, this.cancelButton, this.referrersButton, this.copyButton, this.errorButton),
    );
  }

  get key(): string {
    return this.view.key;
  }

  get ongoing(): boolean {
    return isOngoingStatus(this.view.status);
  }

  update(view: OperationView, now: number): void {
    this.view = view;
    const label = statusLabel(view.status);
    setAttr(this.root, 'data-status', view.status);
    setAttr(this.root, 'aria-label', `${view.image}, ${label}`);
    setText(this.title, view.image);
    setText(this.status, label);
    this.status.className = `op-status status-${view.status.toLowerCase()}`;
    setText(this.registry, `${view.loginServer}/${view.repository}`);

    const progress = Math.round(view.progress);
    setAttr(this.bar, 'aria-valuenow', String(progress));
    setAttr(this.bar, 'aria-valuetext', `${progress}%`);
    setAttr(this.bar, 'aria-label', `Conversion progress of ${view.image}`);
    // CSSOM, not a style attribute: the CSP allows the former only.
    this.fill.style.width = `${progress}%`;
    setText(this.percent, `${progress}%`);

    this.started.set(view.startTime ? formatTime(view.startTime) : undefined);
    this.tick(now);
    this.digest.set(view.digest ? shortDigest(view.digest) : undefined);
    setAttr(this.digest.value, 'title', view.digest);
    this.details.set(view.details);

    const hasError = view.errorCode !== undefined || view.errorHint !== undefined || view.lastError !== undefined;
    setShown(this.errorBox, hasError);
    setShown(this.errorCode, view.errorCode !== undefined);
    setText(this.errorCode, view.errorCode ?? '');
    setShown(this.errorHint, view.errorHint !== undefined);
    setText(this.errorHint, view.errorHint ?? '');
    setShown(this.lastError, view.lastError !== undefined);
    setText(this.lastError, view.lastError ? `Last error: ${view.lastError}` : '');

    if (!this.ongoing) {
      this.cancelPending = false;
    }
    setShown(this.cancelButton, this.ongoing, this.title);
    setDisabled(this.cancelButton, this.cancelPending);
    setText(this.cancelButton, this.cancelPending ? 'Cancelling…' : 'Cancel');
    setAttr(this.cancelButton, 'aria-label', `Cancel the conversion of ${view.image}`);
    setShown(this.referrersButton, view.digest !== undefined, this.title);
    setAttr(this.referrersButton, 'aria-label', `Show the referrers of ${view.image}`);
    setShown(this.copyButton, view.digest !== undefined, this.title);
    setAttr(this.copyButton, 'aria-label', `Copy the digest of ${view.image}`);
    setShown(this.errorButton, hasError || view.status === 'Failed', this.title);
    setAttr(this.errorButton, 'aria-label', `Show the error of ${view.image}`);
  }

  /** Only the elapsed time moves with the clock. */
  tick(now: number): void {
    const ms = elapsedMs(this.view, now);
    this.elapsed.set(ms === undefined ? undefined : formatDuration(ms));
  }

  /** While a cancel is on its way the button says so; a failure is shown under the card. */
  setCancelState(pending: boolean, error?: string): void {
    this.cancelPending = pending && this.ongoing;
    setDisabled(this.cancelButton, this.cancelPending);
    setText(this.cancelButton, this.cancelPending ? 'Cancelling…' : 'Cancel');
    setShown(this.actionError, error !== undefined);
    setText(this.actionError, error ? `Cancel failed: ${error}` : '');
  }

  private button(text: string, appearance: string, onClick: () => void): HTMLElement {
    const button = custom(this.doc, 'vscode-button', { text, attrs: { appearance } });
    button.addEventListener('click', () => {
      if (!button.hasAttribute('disabled')) {
        onClick();
      }
    });
    return button;
  }
}

export class OperationsView {
  readonly root: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private readonly cards = new Map<string, OperationCard>();

  constructor(private readonly doc: Document, private readonly handlers: OperationHandlers) {
    this.list = h(doc, 'ul', { className: 'operations', attrs: { 'aria-label': 'Conversions' } });
    this.empty = h(doc, 'p', { className: 'empty', text: EMPTY_OPERATIONS_TEXT });
    this.root = h(doc, 'section', { className: 'operations-view', attrs: { 'aria-label': 'Operations' } }, this.empty, this.list);
  }

  /** Renders `operations` in the given order, reusing the cards it already has. */
  update(operations: readonly OperationView[], now: number): void {
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const view of operations) {
      if (seen.has(view.key)) {
        continue;
      }
      seen.add(view.key);
      let card = this.cards.get(view.key);
      if (!card) {
        card = new OperationCard(this.doc, view, this.handlers);
        this.cards.set(view.key, card);
      }
      card.update(view, now);
      // Move a card only when it is out of place: moving a node drops its focus.
      const expected: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== card.root) {
        this.list.insertBefore(card.root, expected);
      }
      previous = card.root;
    }
    for (const [key, card] of this.cards) {
      if (!seen.has(key)) {
        card.root.remove();
        this.cards.delete(key);
      }
    }
    setShown(this.empty, this.cards.size === 0);
    setShown(this.list, this.cards.size > 0);
  }

  tick(now: number): void {
    for (const card of this.cards.values()) {
      if (card.ongoing) {
        card.tick(now);
      }
    }
  }

  hasOngoing(): boolean {
    for (const card of this.cards.values()) {
      if (card.ongoing) {
        return true;
      }
    }
    return false;
  }

  ongoingCount(): number {
    let count = 0;
    for (const card of this.cards.values()) {
      count += card.ongoing ? 1 : 0;
    }
    return count;
  }

  setCancelState(key: string, pending: boolean, error?: string): void {
    this.cards.get(key)?.setCancelState(pending, error);
  }
}
