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

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // Credentials after an auth scheme: token-like (8+ characters with a digit or base64/JWT
  // punctuation), so prose such as "Basic authentication" stays readable.
  [/\b(Bearer|Basic)\s+(?=[A-Za-z0-9._~+/=-]*[0-9=._~+/])[A-Za-z0-9._~+/=-]{8,}/g, '$1 <redacted>'],
  // JWT-shaped strings (Entra and ACR tokens).
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<redacted-jwt>'],
  // Form or query fields that carry secrets.
  [/\b(access_token|refresh_token|password|client_secret|token)=([^&\s"]+)/gi, '$1=<redacted>'],
  [/"(access_token|refresh_token|password|client_secret|token)"\s*:\s*"[^"]*"/gi, '"$1":"<redacted>"'],
];

/** Removes tokens, passwords and authorization headers from a line of text. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    result = result.replace(pattern, replacement);
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
