/** Markdown for tooltips built from registry text, which is attacker-controlled. */
import { CONTROL_CHARACTERS, escapeMarkdown } from '../core/markdown';

export { escapeMarkdown };

/** A bounded, escaped quote of server text. */
export function quoteServerText(text: string, max = 200): string {
  const flat = text.replace(CONTROL_CHARACTERS, ' ').trim();
  return escapeMarkdown(flat.length > max ? `${flat.slice(0, max - 3)}...` : flat);
}

/** `sha256:0123456789ab` — enough to tell digests apart in a tree. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon >= 0 ? digest.slice(0, colon + 1 + 12) : digest.slice(0, 12);
}
