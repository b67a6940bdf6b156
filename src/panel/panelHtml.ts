/**
 * The webview's static HTML shell. It carries no data (data arrives by message after the page
 * says it is ready), only the CSP, the nonce and the two resource URIs.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `asWebviewUri` of dist/webview.js. */
  scriptUri: string;
  /** `asWebviewUri` of media/panel.css. */
  styleUri: string;
}

const NONCE_RE = /^[A-Za-z0-9+/_-]{16,128}={0,2}$/;
// One or more CSP source expressions; no `;` or `,` that could open another directive.
// Space-separated source expressions: 'self' or scheme/host sources, as VS Code
// gives them (e.g. `'self' https://*.vscode-cdn.net`); nothing that could end the directive.
const CSP_SOURCE_RE = /^(?:'self'|[^\s;,'"]+)(?: (?:'self'|[^\s;,'"]+))*$/;

/** 128 random bits, hex: a fresh nonce for every page load. */
export function createNonce(): string {
  return randomBytes(16).toString('hex');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Content-Security-Policy; no 'unsafe-inline' and no 'unsafe-eval' anywhere.
 * - `style-src` admits the nonce as well as `cspSource` because the toolkit (FAST) probes
 *   `:focus-visible` support by inserting an empty `<style>` element carrying the nonce of
 *   `<meta property="csp-nonce">`; without it the probe is blocked and reported.
 * - Toolkit component styles and design tokens are constructable stylesheets
 *   (`adoptedStyleSheets`), which CSP does not govern; sizes are set through the CSSOM, which
 *   CSP allows.
 * - vscode-badge, vscode-tag and vscode-progress-ring are not used: their templates carry
 *   `style="…"` attributes, which `style-src` without 'unsafe-inline' refuses and reports.
 * - zod is switched to jitless in the page (webview/messaging.ts): its `new Function` probe
 *   would be reported too.
 * test/unit/panel/webview.browser.test.ts loads the bundle in Chromium under this policy and
 * fails on any `securitypolicyviolation`.
 */
export function buildContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    // Not covered by default-src: pin them too.
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

export function buildPanelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri } = options;
  if (!NONCE_RE.test(nonce)) {
    throw new Error('The webview nonce must be 16–128 base64 characters.');
  }
  if (!CSP_SOURCE_RE.test(cspSource)) {
    throw new Error('The webview CSP source is not a list of source expressions.');
  }
  const csp = escapeAttribute(buildContentSecurityPolicy(cspSource, nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
<title>Artifact Streaming</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="shell-loading">Loading…</p></main>
<script nonce="${nonce}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}
