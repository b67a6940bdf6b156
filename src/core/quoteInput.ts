/**
 * User input echoed in a message. A message that repeats what was typed helps, but not when it
 * carries a password (`https://user:pass@host`) or runs to 100,000 characters: the echo is
 * redacted, put on one line and cut to a readable length, the same way everywhere.
 */
import { redactSecrets } from './logger';

/** Longest echo of user input, in characters (without the quotes). */
export const MAX_ECHO_LENGTH = 80;

// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** `"text"`, secrets removed, on one line, cut with an ellipsis (and its length said) when long. */
export function quoteInput(text: unknown, max: number = MAX_ECHO_LENGTH): string {
  // Redact before cutting: a cut could split `user:pass@` and hide it from the redaction.
  const input = String(text);
  const flat = redactSecrets(input).replace(CONTROL_CHARS, ' ');
  const chars = Array.from(flat);
  if (chars.length <= max) {
    return `"${flat}"`;
  }
  return `"${chars.slice(0, max - 1).join('')}…" (${input.length.toLocaleString('en-US')} characters)`;
}

/**
 * `"part" in "whole"` while the whole is short enough to read; only the part when the whole
 * is long, so that the input is echoed once.
 */
export function quotePartOf(part: string, whole: string): string {
  return whole.length <= MAX_ECHO_LENGTH && part !== whole ? `${quoteInput(part)} in ${quoteInput(whole)}` : quoteInput(part);
}
