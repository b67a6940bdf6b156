/** Sizes of what users download and what VS Code loads at activation. */
import { existsSync, statSync } from 'node:fs';
import { BUDGETS } from './budgets';
import type { Result } from './result';

export function bundleBench(): Result[] {
  const results: Result[] = [];
  for (const [file, budget] of [
    ['dist/extension.js', BUDGETS.extensionBundleKb],
    ['dist/webview.js', BUDGETS.webviewBundleKb],
  ] as const) {
    if (existsSync(file)) {
      results.push({ name: `${file} size`, value: statSync(file).size / 1024, unit: 'KB', budget, lowerIsBetter: true });
    }
  }
  return results;
}
