import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSeedMarker, SEED_CONTENT_VERSION, SEED_MARKER_FILE, seedEmulator } from '../../../emulator/seed';

describe('seedEmulator idempotency', () => {
  let dataDir: string;
  beforeEach(async () => (dataDir = await mkdtemp(join(tmpdir(), 'seed-marker-'))));
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('does nothing, not even a request, when the data folder is seeded with this content version', async () => {
    await writeFile(join(dataDir, SEED_MARKER_FILE), JSON.stringify({ version: SEED_CONTENT_VERSION, seededAt: '2024-01-01T00:00:00Z', repositories: ['samples/hello'] }));
    const original = globalThis.fetch;
    let requests = 0;
    globalThis.fetch = (async () => {
      requests++;
      throw new Error('no request expected');
    }) as typeof fetch;
    const lines: string[] = [];
    try {
      await seedEmulator({ url: 'http://127.0.0.1:9', username: 'u', password: 'p', dataDir }, (line) => lines.push(line));
    } finally {
      globalThis.fetch = original;
    }
    assert.equal(requests, 0);
    assert.match(lines.join('\n'), /already seeded/);
  });

  it('seeds again when the marker is of another version or unreadable', async () => {
    for (const marker of [JSON.stringify({ version: SEED_CONTENT_VERSION - 1, seededAt: 'x', repositories: [] }), '{not json']) {
      await writeFile(join(dataDir, SEED_MARKER_FILE), marker);
      const original = globalThis.fetch;
      let requests = 0;
      globalThis.fetch = (async () => {
        requests++;
        throw new Error('registry unreachable');
      }) as typeof fetch;
      try {
        await assert.rejects(seedEmulator({ url: 'http://127.0.0.1:9', username: 'u', password: 'p', dataDir }), /Seeding failed/);
      } finally {
        globalThis.fetch = original;
      }
      assert.ok(requests > 0, 'it tried to push');
      // A failed seed leaves no marker that claims success.
      assert.notEqual((await readSeedMarker(dataDir))?.version, SEED_CONTENT_VERSION);
    }
  });
});
