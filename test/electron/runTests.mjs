// `npm run test:electron`: the extension inside VS Code desktop through @vscode/test-electron.
// It downloads a VS Code build, so it runs only where that download is possible (not in this
// project's CI, whose machines reach only the npm and Debian registries; there the same
// journeys run in code-server through test/e2e).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

try {
  await runTests({
    version: '1.99.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'test', 'electron', 'suite', 'index.cjs'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`test:electron failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
