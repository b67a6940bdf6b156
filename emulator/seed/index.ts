/**
 * `--seed`: fills a fresh emulator with sample repositories under `samples/` (see
 * `samples.ts`). Idempotent per data folder: `<dataDir>/seeded.json` records the content
 * version, and a later call with the same version does nothing at all.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OciClient } from '../oci/ociClient';
import { SampleFiles } from './sampleFiles';
import { SAMPLE_REPOSITORIES, type SeedContext } from './samples';

/** Bump when the sample content changes, so existing data folders are seeded again. */
export const SEED_CONTENT_VERSION = 1;
export const SEED_MARKER_FILE = 'seeded.json';

export interface SeedTarget {
  /** The emulator's origin, e.g. `http://127.0.0.1:5123`. */
  url: string;
  username: string;
  password: string;
  dataDir: string;
}

export interface SeedMarker {
  version: number;
  seededAt: string;
  repositories: string[];
}

export async function seedEmulator(target: SeedTarget, log: (line: string) => void = () => undefined): Promise<void> {
  if (!target.dataDir) {
    throw new Error('seedEmulator needs the emulator data folder.');
  }
  const markerPath = join(target.dataDir, SEED_MARKER_FILE);
  const marker = await readSeedMarker(target.dataDir);
  if (marker?.version === SEED_CONTENT_VERSION) {
    log(`seed: already seeded (content v${SEED_CONTENT_VERSION}, ${marker.seededAt}); nothing to do`);
    return;
  }
  const baseUrl = new URL(target.url).origin;
  const authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`, 'utf8').toString('base64')}`;
  const context: SeedContext = {
    client: new OciClient({ baseUrl, authorization }),
    files: new SampleFiles(),
    baseUrl,
    authorization,
    layers: new Map(),
  };
  // Fail fast (wrong address or credentials) before building any layer.
  await context.client.ping().catch((error: unknown) => {
    throw new Error(`Seeding failed: the emulator at ${baseUrl} is not usable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  const started = performance.now();
  // Repositories go in parallel: many-tags waits on the registry's disk while hello builds
  // its layers on the CPU. Within a repository the order stays as written.
  const results = await Promise.allSettled(
    SAMPLE_REPOSITORIES.map(async (repository) => {
      const repositoryStarted = performance.now();
      const summary = await repository.seed(context);
      log(`seed: ${repository.name}: ${summary} in ${seconds(repositoryStarted)}`);
    }),
  );
  const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [{ name: SAMPLE_REPOSITORIES[i].name, error: result.reason as unknown }] : []));
  if (failures.length > 0) {
    const reasons = failures.map(({ name, error }) => `${name}: ${error instanceof Error ? error.message : String(error)}`);
    throw new Error(`Seeding failed: ${reasons.join('; ')}`, { cause: failures[0].error });
  }
  const written: SeedMarker = {
    version: SEED_CONTENT_VERSION,
    seededAt: new Date().toISOString(),
    repositories: SAMPLE_REPOSITORIES.map((repository) => repository.name),
  };
  await mkdir(target.dataDir, { recursive: true });
  // Write then rename, so a crash never leaves a half-written marker that looks valid.
  await writeFile(`${markerPath}.tmp`, `${JSON.stringify(written, null, 2)}\n`);
  await rename(`${markerPath}.tmp`, markerPath);
  log(`seed: ${SAMPLE_REPOSITORIES.length} repositories seeded in ${seconds(started)}`);
}

/** The marker of a data folder, or undefined when there is none or it is unreadable. */
export async function readSeedMarker(dataDir: string): Promise<SeedMarker | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, SEED_MARKER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SeedMarker>;
    if (typeof parsed.version === 'number' && typeof parsed.seededAt === 'string' && Array.isArray(parsed.repositories)) {
      return { version: parsed.version, seededAt: parsed.seededAt, repositories: parsed.repositories.map(String) };
    }
  } catch {
    // A corrupt marker means "not seeded": seeding again is safe, pushes are idempotent.
  }
  return undefined;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
