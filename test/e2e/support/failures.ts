// When a journey fails, keep what explains it: a screenshot of the window and the log tails.
import type { VsCode } from './vscode';

/**
 * Registers an `afterEach` (call inside `describe`) that, for a failed test, saves
 * `.build/e2e-screenshots/FAILED-<test>.png` and prints the extension host log tail.
 */
export function captureFailures(current: () => VsCode | undefined): void {
  afterEach(async function () {
    const test = this.currentTest;
    const vscode = current();
    if (!test || test.state !== 'failed' || !vscode) return;
    try {
      const file = await vscode.screenshot(`FAILED-${test.fullTitle()}`);
      console.error(`      screenshot: ${file}`);
    } catch (err) {
      console.error(`      (no screenshot: ${err instanceof Error ? err.message : String(err)})`);
    }
    console.error(indent(vscode.diagnostics()));
  });
}

function indent(text: string): string {
  return text.split('\n').map((line) => `      ${line}`).join('\n');
}
