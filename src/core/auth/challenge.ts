/** Parsing of `WWW-Authenticate` challenges (RFC 7235 auth-params, as registries send them). */

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a header such as `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | undefined): AuthChallenge | undefined {
  if (!header) {
    return undefined;
  }
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!match) {
    return undefined;
  }
  const params: Record<string, string> = {};
  const paramRe = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?\s*/g;
  let param: RegExpExecArray | null;
  while ((param = paramRe.exec(match[2])) !== null) {
    params[param[1].toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}
