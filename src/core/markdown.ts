/** Markdown built from registry or Azure text, which is not ours to trust (tooltips, help pages). */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
const MARKDOWN_SIGNIFICANT = /[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g;

/** Escapes every Markdown/HTML-significant character and flattens control characters. */
export function escapeMarkdown(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(MARKDOWN_SIGNIFICANT, '\\$&');
}
