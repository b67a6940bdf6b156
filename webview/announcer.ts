/** The aria-live region: status changes are read out without moving focus. */
import { h } from './render/dom';

export class Announcer {
  readonly region: HTMLElement;
  private timer: number | undefined;

  constructor(doc: Document, private readonly win: Pick<Window, 'setTimeout' | 'clearTimeout'>) {
    this.region = h(doc, 'div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  }

  /** Reads `text` out; clearing first makes a repeated message count as a change. */
  announce(text: string): void {
    if (text === '') {
      return;
    }
    this.region.textContent = '';
    if (this.timer !== undefined) {
      this.win.clearTimeout(this.timer);
    }
    this.timer = this.win.setTimeout(() => {
      this.timer = undefined;
      this.region.textContent = text;
    }, 50);
  }

  dispose(): void {
    if (this.timer !== undefined) {
      this.win.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
