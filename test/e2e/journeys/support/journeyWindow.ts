// One seeded emulator and one VS Code per journey file: started in `before` (packaging the
// extension meanwhile), stopped in `after`, with a screenshot and the logs of a failed test.
import type { EmulatorHandle, EmulatorOptions } from '../../../../emulator';
import { captureFailures, packagedVsix, startVsCode, type StartVsCodeOptions, type VsCode } from '../../support';
import { RegistryApi } from './registryApi';
import { startSeededEmulator } from './seededEmulator';

export interface JourneyWindow {
  emulator: EmulatorHandle;
  vscode: VsCode;
  /** The registry's own answers, read beside the UI. */
  api: RegistryApi;
}

/**
 * Registers the hooks (call inside `describe`) and returns the running window for the tests.
 * `vscodeOptions` gets the emulator, so settings can name its URLs.
 */
export function journeyWindow(vscodeOptions: (emulator: EmulatorHandle) => StartVsCodeOptions, emulatorOptions: Omit<EmulatorOptions, 'seed' | 'dataDir'> = {}): () => JourneyWindow {
  let running: Partial<JourneyWindow> = {};
  captureFailures(() => running.vscode);

  before(async function () {
    this.timeout(600_000); // the first run on a machine also installs code-server
    const t = Date.now();
    const [emulator] = await Promise.all([startSeededEmulator(emulatorOptions), packagedVsix()]);
    running = { emulator, api: new RegistryApi(emulator) };
    running.vscode = await startVsCode(vscodeOptions(emulator));
    console.log(`      set-up ${Date.now() - t} ms; VS Code ${JSON.stringify(running.vscode.timings)}`);
  });

  after(async () => {
    await running.vscode?.stop();
    await running.emulator?.stop();
  });

  return () => {
    const { emulator, vscode, api } = running;
    if (!emulator || !vscode || !api) throw new Error('The journey window is not running (its before hook failed).');
    return { emulator, vscode, api };
  };
}
