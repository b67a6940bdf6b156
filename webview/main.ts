/**
 * The webview bundle's entry: registers the toolkit components it uses, then mounts the page.
 * Built by scripts/build.mjs to dist/webview.js (browser, iife).
 */
// @ts-expect-error TS1479: the toolkit is an ES module and this project type-checks as CommonJS; esbuild bundles it either way, and a static import keeps tree-shaking (a dynamic one would add ~200 KB).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodePanels, vsCodePanelTab, vsCodePanelView } from '@vscode/webview-ui-toolkit';
// Before the app: its module body configures zod before any schema is built.
import './messaging';
import { PanelApp } from './app';

// Not vsCodeBadge, vsCodeTag (same template) or vsCodeProgressRing: their templates carry
// inline style attributes, which this page's CSP refuses and reports (see
// src/panel/panelHtml.ts); the page draws those three with its own stylesheet instead.
provideVSCodeDesignSystem().register(vsCodeButton(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView());

const root = document.getElementById('app');
if (root) {
  new PanelApp({ doc: document, win: window, api: acquireVsCodeApi() }).mount(root);
}
