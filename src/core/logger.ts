/**
 * The logging interface the core writes to. The extension backs it with a LogOutputChannel,
 * the CLI with stderr. Every line passes through `redactSecrets` once, here, so call sites
 * never have to remember it.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Field names whose values are secrets, in snake, kebab and camel case (matched case-insensitively). */
const SECRET_FIELD = String.raw`(?:access|refresh|id)[_-]?token|client[_-]?secret|passw(?:or)?d|token|authorization`;
/** Query parameters that sign a URL: Azure SAS `sig`, S3 and GCS signed URLs. */
const SIGNATURE_PARAM = String.raw`sig|signature|x-(?:amz|goog)-(?:signature|credential|security-token)`;
/** Fields people write as `password: x` in logs and configuration; not bare `token`, which prose uses ("a token: …"). */
const SPELLED_FIELD = String.raw`(?:access|refresh|id)[_-]?token|client[_-]?secret|passw(?:or)?d`;
/** A quoted value: "x", 'x', or the escaped \"x\" of JSON inside JSON. */
const QUOTED_VALUE = String.raw`(\\{0,3}["'])(?:\\.|(?!\4)[^\\])*?\4`;
/** A field name starts the text, follows a separator, or follows a percent-encoded one (`%26refresh_token%3D…`). */
const FIELD_START = String.raw`(?<=^|[^\w-]|%[0-9A-Fa-f]{2})`;
/** What an auth scheme is followed by in prose ("Basic authentication", "Bearer tokens"), not a credential. */
const PROSE_WORD = /^[A-Z]?[a-z]+=?$/;

const SECRET_PATTERNS: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  // Userinfo in URLs: https://user:password@host, https://token@host.
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#@]+(?:@[^\s/?#@]+)*@/gi, '$1<redacted>@'],
  // Credentials after an auth scheme; a short lower-case word is prose and stays.
  [
    /\b(Bearer|Basic)(\s+)(?!<redacted)([A-Za-z0-9._~+/=-]+)/gi,
    (match, scheme, space, value) => (PROSE_WORD.test(value) && value.length <= 16 ? match : `${scheme}${space}<redacted>`),
  ],
  // JWT-shaped strings (Entra and ACR tokens).
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<redacted-jwt>'],
  // Form and query fields: password=x, Refresh_Token=x, accessToken=x, sig=x (SAS).
  [new RegExp(String.raw`${FIELD_START}(${SECRET_FIELD}|${SIGNATURE_PARAM})=(?!<redacted>)[^&\s"'\\]+`, 'gi'), '$1=<redacted>'],
  // An OAuth authorization code in a query string.
  [/([?&])(code)=(?!<redacted>)[^&\s"'\\]+/gi, '$1$2=<redacted>'],
  // The same, URL-encoded once more: refresh_token%3Dx%26…
  [new RegExp(String.raw`${FIELD_START}(${SECRET_FIELD}|${SIGNATURE_PARAM})%3D(?:(?!%26)[^&\s"'\\])+`, 'gi'), '$1%3D<redacted>'],
  // JSON and its relatives: "password":"x", 'password': 'x', \"refresh_token\":\"x\".
  [new RegExp(String.raw`(\\{0,3}["'])(${SECRET_FIELD})\1(\s*:\s*)${QUOTED_VALUE}`, 'gi'), '$1$2$1$3$4<redacted>$4'],
  // URL-encoded JSON: %22refresh_token%22%3A%22x%22.
  [new RegExp(String.raw`%22(${SECRET_FIELD})%22%3A%22(?:(?!%22)[^\s"&])*%22`, 'gi'), '%22$1%22%3A%22<redacted>%22'],
  // Spelled out: password: x, client_secret = 'x'.
  [new RegExp(String.raw`(?<![\w"'-])(${SPELLED_FIELD})(\s*[:=]\s*)(?!<redacted>|\\{0,3}["']<redacted>)(?:${QUOTED_VALUE.replace('\\4', '\\3').replace('\\4', '\\3')}|[^\s,;&"'}]+)`, 'gi'), '$1$2<redacted>'],
];

/** Removes tokens, passwords, signed-URL signatures and authorization values from a line of text. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    result = result.replace(pattern, replacement as string);
  }
  return result;
}

/** Wraps a logger so that everything written to it is redacted first. */
export function redactingLogger(inner: Logger): Logger {
  return {
    trace: (m) => inner.trace(redactSecrets(m)),
    debug: (m) => inner.debug(redactSecrets(m)),
    info: (m) => inner.info(redactSecrets(m)),
    warn: (m) => inner.warn(redactSecrets(m)),
    error: (m) => inner.error(redactSecrets(m)),
  };
}
