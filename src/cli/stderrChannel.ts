/**
 * stderr, shared by log lines and one progress line. On a terminal the progress line is
 * redrawn in place and cleared before any other line is written; elsewhere (a pipe, a CI log)
 * each change of progress is a plain line of its own.
 */
import { redactSecrets } from '../core/logger';
import type { TextSink } from './cliDeps';

const CLEAR_LINE = '\r\x1b[2K';
// Registry text (repository names, operation details) must not move the cursor or recolour.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

export class StderrChannel {
  private status: string | undefined;
  private lastPlainStatus: string | undefined;
  private readonly secrets: string[] = [];

  constructor(private readonly sink: TextSink) {}

  /** A literal secret (the password) that must never be written, whatever line carries it. */
  addSecret(secret: string): void {
    if (secret.length >= 3) {
      this.secrets.push(secret);
    }
  }

  private clean(text: string): string {
    let result = redactSecrets(text);
    for (const secret of this.secrets) {
      result = result.split(secret).join('<redacted>');
    }
    return stripControl(result);
  }

  get interactive(): boolean {
    return this.sink.isTTY === true;
  }

  /** One line of text (a log line, an error); redacted and stripped of control characters. */
  line(text: string): void {
    const clean = this.clean(text);
    if (this.interactive && this.status !== undefined) {
      this.sink.write(`${CLEAR_LINE}${clean}\n${this.status}`);
    } else {
      this.sink.write(`${clean}\n`);
    }
  }

  /** Shows the progress line (replacing the previous one on a terminal). */
  progress(text: string): void {
    const clean = this.clean(text).replace(/[\r\n\t]+/g, ' ');
    if (this.interactive) {
      const width = this.sink.columns && this.sink.columns > 10 ? this.sink.columns - 1 : undefined;
      this.status = width !== undefined && clean.length > width ? `${clean.slice(0, width - 3)}...` : clean;
      this.sink.write(`${CLEAR_LINE}${this.status}`);
    } else if (clean !== this.lastPlainStatus) {
      this.lastPlainStatus = clean;
      this.sink.write(`${clean}\n`);
    }
  }

  /** Ends the progress line: on a terminal it is erased (the result says how it ended). */
  endProgress(): void {
    if (this.interactive && this.status !== undefined) {
      this.sink.write(CLEAR_LINE);
    }
    this.status = undefined;
    this.lastPlainStatus = undefined;
  }
}
