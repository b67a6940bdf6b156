/** Markdown for tooltips built from registry text, which is attacker-controlled. */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
const MARKDOWN_SIGNIFICANT = /[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g;

/** Escapes every Markdown/HTML-significant character and flattens control characters. */
export function escapeMarkdown(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(MARKDOWN_SIGNIFICANT, '\\$&');
}

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
