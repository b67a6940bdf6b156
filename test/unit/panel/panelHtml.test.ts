import * as assert from 'node:assert/strict';
import { buildContentSecurityPolicy, buildPanelHtml, createNonce } from '../../../src/panel/panelHtml';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const NONCE = 'abcdef0123456789abcdef0123456789';
const options = {
  cspSource: CSP_SOURCE,
  nonce: NONCE,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
};

function cspOf(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, 'the page has a CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of content.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) {
      directives.set(name, values);
    }
  }
  return directives;
}

describe('panel HTML shell', () => {
  const html = buildPanelHtml(options);
  const csp = cspOf(html);

  it('denies everything by default and allows scripts only by nonce', () => {
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${NONCE}'`]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  });

  it('never allows inline or eval', () => {
    for (const [name, values] of csp) {
      assert.ok(!values.includes("'unsafe-inline'"), `${name} has no 'unsafe-inline'`);
      assert.ok(!values.includes("'unsafe-eval'"), `${name} has no 'unsafe-eval'`);
      assert.ok(!values.includes('*'), `${name} has no wildcard`);
    }
  });

  it('takes styles, fonts and images only from the webview resource origin', () => {
    assert.deepEqual(csp.get('style-src'), [CSP_SOURCE, `'nonce-${NONCE}'`]);
    assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
    assert.deepEqual(csp.get('img-src'), [CSP_SOURCE, 'data:']);
  });

  it('loads exactly one script, carrying the nonce, and the stylesheet by URI', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.[1], ` nonce="${NONCE}" src="${options.scriptUri}"`);
    assert.equal(scripts[0]?.[2], '', 'no inline script body');
    assert.ok(html.includes(`<link rel="stylesheet" href="${options.styleUri}">`));
    assert.ok(html.includes(`<meta property="csp-nonce" content="${NONCE}">`), 'the toolkit finds the nonce for its style probe');
    assert.ok(!/\sstyle=/.test(html), 'no inline style attributes');
    assert.ok(!/<style/.test(html), 'no inline style elements');
  });

  it('is a static shell: the same for every call but the nonce and URIs', () => {
    const other = buildPanelHtml({ ...options, nonce: 'ffffffffffffffffffffffffffffffff' });
    assert.equal(other.replaceAll('ffffffffffffffffffffffffffffffff', NONCE), html);
    assert.ok(html.includes('<main id="app" aria-busy="true">'));
  });

  it('escapes the URIs it is given and refuses a nonce or CSP source that could break out', () => {
    const escaped = buildPanelHtml({ ...options, scriptUri: 'https://x/a.js"><script>alert(1)</script>' });
    assert.ok(!escaped.includes('"><script>alert(1)'));
    assert.ok(escaped.includes('&quot;&gt;&lt;script&gt;'));
    assert.throws(() => buildPanelHtml({ ...options, nonce: `${NONCE}' 'unsafe-inline` }));
    assert.throws(() => buildPanelHtml({ ...options, nonce: 'short' }));
    assert.throws(() => buildPanelHtml({ ...options, cspSource: "https://a; script-src 'unsafe-inline'" }));
    assert.throws(() => buildPanelHtml({ ...options, cspSource: "'unsafe-inline'" }));
  });

  it("accepts VS Code's real cspSource, which starts with 'self'", () => {
    const real = buildPanelHtml({ ...options, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.ok(real.includes("style-src 'self' https://*.vscode-cdn.net"));
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = createNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, createNonce());
    assert.ok(buildContentSecurityPolicy(CSP_SOURCE, a).includes(`'nonce-${a}'`));
  });
});
