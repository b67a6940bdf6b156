/** Labels are matched exactly when given as a string; a RegExp is used as is. */
export type TextMatch = string | RegExp;

export function exactText(text: TextMatch): RegExp {
  if (text instanceof RegExp) return text;
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function describeText(text: TextMatch): string {
  return text instanceof RegExp ? String(text) : JSON.stringify(text);
}
