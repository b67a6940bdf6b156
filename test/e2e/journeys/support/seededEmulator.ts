// A seeded emulator per journey file without paying the ~20 s seed each time: the first call in
// this process seeds a template data folder once; every call then starts an emulator on a copy.
import { rmSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../../emulator';

let template: Promise<string> | undefined;

async function seedTemplate(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'acr-e2e-seed-template-'));
  const seeder = await startEmulator({ seed: true, dataDir });
  await seeder.stop(); // flushes state.json; the given dataDir is kept
  // Removed when the test process ends (mocha runs every journey file in one process).
  process.once('exit', () => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}

/** Seeded content (see emulator/seed), in a fresh data folder removed again on `stop()`. */
export async function startSeededEmulator(options: Omit<EmulatorOptions, 'seed' | 'dataDir'> = {}): Promise<EmulatorHandle> {
  template ??= seedTemplate().catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  const source = await template;
  const dataDir = await mkdtemp(join(tmpdir(), 'acr-e2e-emulator-'));
  await cp(source, dataDir, { recursive: true });
  // `seed: true` on a seeded copy only checks the marker, so a broken copy would still be re-seeded.
  const emulator = await startEmulator({ ...options, seed: true, dataDir });
  const stop = emulator.stop.bind(emulator);
  return {
    ...emulator,
    stop: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
