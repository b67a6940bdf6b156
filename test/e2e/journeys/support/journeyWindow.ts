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
  let ended = false;
  captureFailures(() => running.vscode);

  before(async function () {
    this.timeout(600_000); // the first run on a machine also installs code-server
    const t = Date.now();
    const [emulator] = await Promise.all([startSeededEmulator(emulatorOptions), packagedVsix()]);
    running = { emulator, api: new RegistryApi(emulator) };
    if (ended) return stopLate(running); // the hook timed out meanwhile and `after` has run
    const vscode = await startVsCode(vscodeOptions(emulator));
    running.vscode = vscode;
    if (ended) return stopLate(running);
    console.log(`      set-up ${Date.now() - t} ms; VS Code ${JSON.stringify(vscode.timings)}`);
  });

  after(async () => {
    ended = true;
    await running.vscode?.stop();
    await running.emulator?.stop();
  });

  return () => {
    const { emulator, vscode, api } = running;
    if (!emulator || !vscode || !api) throw new Error('The journey window is not running (its before hook failed).');
    return { emulator, vscode, api };
  };
}

/** Stops what a timed-out set-up started after `after` had already run (it would keep mocha alive). */
async function stopLate(running: Partial<JourneyWindow>): Promise<void> {
  await running.vscode?.stop();
  await running.emulator?.stop();
}
