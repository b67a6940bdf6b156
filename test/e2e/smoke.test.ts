// The extension in a real VS Code (code-server + Chromium) against the seeded emulator:
// the view opens, the registry from the settings is listed and its repositories load.
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { captureFailures, packagedVsix, startVsCode, type VsCode } from './support';
import { escapeRegExp } from './support/text';

describe('smoke: the extension in a real VS Code', function () {
  let emulator: EmulatorHandle | undefined;
  let vscode: VsCode | undefined;
  captureFailures(() => vscode);

  before(async function () {
    // The first run on a machine also installs code-server (about a minute).
    this.timeout(600_000);
    [emulator] = await Promise.all([startEmulator({ seed: true }), packagedVsix()]);
    vscode = await startVsCode({ emulator });
    console.log(`      timings: ${JSON.stringify(vscode.timings)}`);
  });

  after(async () => {
    await vscode?.stop();
    await emulator?.stop();
  });

  it('lists the emulator registry and, expanded, its repositories', async () => {
    const vs = vscode!;
    const registry = new RegExp(escapeRegExp(emulator!.loginServer));

    let t = Date.now();
    await vs.openView();
    await vs.findTreeItem(registry, { timeout: 60_000 });
    console.log(`      registry row shown ${Date.now() - t} ms after opening the view`);
    await vs.screenshot('smoke-1-registry');

    t = Date.now();
    await vs.expand(registry);
    const hello = await vs.findTreeItem([registry, 'samples/hello'], { timeout: 60_000 });
    console.log(`      repositories shown ${Date.now() - t} ms after expanding`);
    await hello.scrollIntoViewIfNeeded();
    await vs.screenshot('smoke-2-repositories');

    const rows = await vs.treeRows();
    const registryRow = rows.find((r) => registry.test(r.label));
    assert.ok(registryRow, 'registry row');
    assert.equal(registryRow.expanded, true);
    const repositories = rows.filter((r) => r.level === registryRow.level + 1).map((r) => r.label);
    assert.ok(repositories.includes('samples/hello'), `repositories: ${repositories.join(', ')}`);

    const errors = (await vs.notifications()).filter((n) => /error|fail|denied|unauthori[sz]ed/i.test(n));
    assert.deepEqual(errors, [], 'no error notifications');
  });
});
