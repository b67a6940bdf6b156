/** Sizes of what users download and what VS Code evaluates at activation. */
import { existsSync, statSync } from 'node:fs';
import { activationSize } from './activationBench';
import { BUDGETS } from './budgets';
import type { Result } from './result';

export function bundleBench(log: (line: string) => void): Result[] {
  const results: Result[] = [];
  const activation = activationSize();
  if (activation) {
    const top = activation.top.slice(0, 6).map((t) => `${t.name} ${Math.round(t.bytes / 1024)} KB`);
    log(`activation: ${Math.round(activation.staticBytes / 1024)} KB in the static import graph (${top.join(', ')}); ${Math.round(activation.lazyBytes / 1024)} KB behind import()`);
    results.push({
      name: 'JavaScript evaluated at activation (static graph)',
      value: activation.staticBytes / 1024,
      unit: 'KB',
      goal: `≤ ${BUDGETS.activationKb} KB`,
      budget: BUDGETS.activationKb,
      lowerIsBetter: true,
    });
  } else {
    log('activation: dist/extension.meta.json missing (build with --metafile); row skipped');
  }
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
