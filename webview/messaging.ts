/**
 * The page's side of the protocol: every message in is validated before anything renders
 * it, every message out is validated before it leaves.
 */
import * as z from 'zod/mini';
import { parseHostMessage, parseWebviewMessage, type HostMessage, type WebviewMessage } from '../src/panel/protocol';

// Before any schema exists: zod would otherwise probe `new Function`, which the CSP forbids
// (and reports as a violation even though zod catches the error).
z.config({ jitless: true });

/** What `acquireVsCodeApi()` returns. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

export class HostChannel {
  private nextId = 1;

  constructor(private readonly api: VsCodeApi, private readonly win: Window) {}

  /** Posts a message; returns false (and logs) when it does not pass the protocol. */
  post(message: WebviewMessage): boolean {
    if (parseWebviewMessage(message) === undefined) {
      console.error(`Not posting an invalid ${message.type} message.`);
      return false;
    }
    this.api.postMessage(message);
    return true;
  }

  /** A fresh id for a request whose reply the page waits for. */
  requestId(): string {
    return `r${this.nextId++}`;
  }

  /** Calls `handler` with each valid host message; invalid ones are dropped. Returns an unsubscribe. */
  onMessage(handler: (message: HostMessage) => void): () => void {
    const listener = (event: MessageEvent): void => {
      const message = parseHostMessage(event.data);
      if (message === undefined) {
        console.warn('Dropped an invalid message from the extension.');
        return;
      }
      handler(message);
    };
    this.win.addEventListener('message', listener);
    return () => this.win.removeEventListener('message', listener);
  }
}
