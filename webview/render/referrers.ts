/**
 * The Referrers tab: the image it is about, its loading or error state, and a table of its
 * referrers. Annotations are registry (attacker) text: they only ever become text nodes.
 */
import { STREAMING_ARTIFACT_TYPE } from '../../src/core/mediaTypes';
import type { ReferrersRequest, ReferrersState, ReferrerView } from '../../src/panel/protocol';
import { custom, h, setShown, setText } from './dom';
import { formatBytes, formatTime, shortDigest } from './format';

export interface ReferrerHandlers {
  refresh(request: ReferrersRequest): void;
  copy(text: string): void;
}

export const NO_IMAGE_TEXT = 'No image selected. Use “Show referrers” on a conversion, or on an image in the registry tree.';
export const NO_REFERRERS_TEXT = 'This image has no referrers.';

function describeRequest(request: ReferrersRequest): string {
  return request.image ?? `${request.repository}@${shortDigest(request.digest)}`;
}

export class ReferrersView {
  readonly root: HTMLElement;
  private state: ReferrersState | undefined;
  private readonly subject: HTMLParagraphElement;
  private readonly refreshButton: HTMLElement;
  private readonly status: HTMLDivElement;
  private readonly body: HTMLDivElement;

  constructor(private readonly doc: Document, private readonly handlers: ReferrerHandlers) {
    this.subject = h(doc, 'p', { className: 'ref-subject' });
    this.refreshButton = custom(doc, 'vscode-button', { text: 'Refresh', attrs: { appearance: 'secondary', 'aria-label': 'Refresh the referrers' } });
    this.refreshButton.addEventListener('click', () => {
      if (this.state && !this.refreshButton.hasAttribute('disabled')) {
        handlers.refresh(this.state.request);
      }
    });
    this.status = h(doc, 'div', { className: 'ref-status' });
    this.body = h(doc, 'div', { className: 'ref-body' });
    this.root = h(
      doc,
      'section',
      { className: 'referrers-view', attrs: { 'aria-label': 'Referrers' } },
      h(doc, 'div', { className: 'ref-header' }, this.subject, this.refreshButton),
      this.status,
      this.body,
    );
    this.render(undefined);
  }

  get current(): ReferrersState | undefined {
    return this.state;
  }

  render(state: ReferrersState | undefined): void {
    this.state = state;
    this.status.replaceChildren();
    this.body.replaceChildren();
    setShown(this.refreshButton, state !== undefined);
    if (state === undefined) {
      setText(this.subject, '');
      this.body.appendChild(h(this.doc, 'p', { className: 'empty', text: NO_IMAGE_TEXT }));
      return;
    }
    const { request } = state;
    setText(this.subject, `${describeRequest(request)} — ${request.loginServer}/${request.repository}@${shortDigest(request.digest)}`);
    this.subject.title = `${request.loginServer}/${request.repository}@${request.digest}`;
    this.refreshButton.toggleAttribute('disabled', state.status === 'loading');

    switch (state.status) {
      case 'loading':
        this.status.setAttribute('aria-busy', 'true');
        this.status.append(
          // A CSS spinner, not vscode-progress-ring: that template carries a style attribute,
          // which the CSP (no 'unsafe-inline') reports as a violation.
          h(this.doc, 'span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }),
          h(this.doc, 'span', { text: `Loading the referrers of ${describeRequest(request)}…` }),
        );
        return;
      case 'error':
        this.status.removeAttribute('aria-busy');
        this.status.append(
          h(
            this.doc,
            'div',
            { className: 'ref-error', attrs: { role: 'group', 'aria-label': 'Error' } },
            h(this.doc, 'strong', { className: 'op-error-code', text: state.error?.code ?? 'ERROR' }),
            h(this.doc, 'p', { text: state.error?.message ?? 'The referrers could not be listed.' }),
          ),
        );
        return;
      case 'loaded':
        this.status.removeAttribute('aria-busy');
        this.body.appendChild(this.table(request, state.referrers ?? []));
        return;
    }
  }

  private table(request: ReferrersRequest, referrers: readonly ReferrerView[]): HTMLElement {
    if (referrers.length === 0) {
      return h(this.doc, 'p', { className: 'empty', text: NO_REFERRERS_TEXT });
    }
    const doc = this.doc;
    const headings = ['Artifact type', 'Digest', 'Size', 'Created', 'Annotations'];
    return h(
      doc,
      'table',
      { className: 'referrers' },
      h(doc, 'caption', { className: 'visually-hidden', text: `Referrers of ${describeRequest(request)}` }),
      h(doc, 'thead', {}, h(doc, 'tr', {}, ...headings.map((text) => h(doc, 'th', { text, attrs: { scope: 'col' } })))),
      h(doc, 'tbody', {}, ...referrers.map((referrer) => this.row(referrer))),
    );
  }

  private row(referrer: ReferrerView): HTMLTableRowElement {
    const doc = this.doc;
    const typeCell = h(doc, 'td', { className: 'ref-type' }, h(doc, 'span', { text: referrer.artifactType ?? '(none)' }));
    if (referrer.artifactType === STREAMING_ARTIFACT_TYPE) {
      // A span, not vscode-tag: the tag reuses the badge template and its style attribute.
      typeCell.appendChild(h(doc, 'span', { className: 'tag', text: 'Streaming' }));
    }
    typeCell.appendChild(h(doc, 'div', { className: 'muted', text: referrer.mediaType }));

    const copy = custom(doc, 'vscode-button', { text: 'Copy', attrs: { appearance: 'secondary', 'aria-label': `Copy digest ${referrer.digest}` } });
    copy.addEventListener('click', () => this.handlers.copy(referrer.digest));
    const digestCell = h(doc, 'td', { className: 'ref-digest' }, h(doc, 'code', { text: shortDigest(referrer.digest), attrs: { title: referrer.digest } }), copy);

    const sizeCell = h(doc, 'td', { className: 'ref-size', text: formatBytes(referrer.size), attrs: { title: `${referrer.size} bytes` } });
    const createdCell = h(doc, 'td', { className: 'ref-created' });
    if (referrer.created) {
      createdCell.appendChild(h(doc, 'time', { text: formatTime(referrer.created), attrs: { datetime: referrer.created } }));
    } else {
      createdCell.textContent = '—';
    }
    return h(doc, 'tr', {}, typeCell, digestCell, sizeCell, createdCell, this.annotations(referrer.annotations));
  }

  private annotations(annotations: Record<string, string>): HTMLTableCellElement {
    const doc = this.doc;
    const entries = Object.entries(annotations);
    if (entries.length === 0) {
      return h(doc, 'td', { className: 'ref-annotations muted', text: 'none' });
    }
    const list = h(doc, 'dl', { className: 'annotations' });
    for (const [key, value] of entries) {
      list.append(h(doc, 'dt', { text: key }), h(doc, 'dd', { text: value }));
    }
    return h(doc, 'td', { className: 'ref-annotations' }, list);
  }
}
