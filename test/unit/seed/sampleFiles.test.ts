import { readFileSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepositoryRoot, SampleFiles } from '../../../emulator/seed/sampleFiles';

describe('SampleFiles', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sample-files-'));
    await mkdir(join(root, 'tree/b'), { recursive: true });
    await writeFile(join(root, 'tree/z.txt'), 'zzz');
    await writeFile(join(root, 'tree/a.txt'), 'a');
    await writeFile(join(root, 'tree/b/c.txt'), 'cc');
    await symlink(join(root, 'tree/a.txt'), join(root, 'tree/link.txt'));
    for (const [pkg, size] of [['alpha', 10], ['beta', 20], ['gamma', 30], ['delta', 40]] as const) {
      await mkdir(join(root, 'doc', pkg), { recursive: true });
      await writeFile(join(root, 'doc', pkg, 'copyright'), 'c'.repeat(size));
      await writeFile(join(root, 'doc', pkg, 'changelog.Debian.gz'), 'g'.repeat(size));
      await writeFile(join(root, 'doc', pkg, 'README.md'), 'not taken');
      await mkdir(join(root, 'doc', pkg, 'examples'));
      await writeFile(join(root, 'doc', pkg, 'examples', 'x.gz'), 'not taken');
    }
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lists a tree sorted, skipping symlinks, within a byte budget', async () => {
    const files = new SampleFiles(undefined);
    const all = await files.tree(join(root, 'tree'), 'x');
    assert.deepEqual(all.map((f) => f.path), ['x/a.txt', 'x/b/c.txt', 'x/z.txt']);
    assert.equal(all[2].content.toString(), 'zzz');
    const budget = await files.tree(join(root, 'tree'), 'x', 3);
    assert.deepEqual(budget.map((f) => f.path), ['x/a.txt', 'x/b/c.txt']);
  });

  it('splits Debian docs (copyright and top-level .gz files) into disjoint parts by package', async () => {
    const files = new SampleFiles(undefined);
    const part0 = await files.debianDocs(0, 2, 1000, join(root, 'doc'));
    const part1 = await files.debianDocs(1, 2, 1000, join(root, 'doc'));
    // Sorted packages: alpha, beta, delta, gamma.
    assert.deepEqual(part0.map((f) => f.path), [
      'usr/share/doc/alpha/changelog.Debian.gz', 'usr/share/doc/alpha/copyright', 'usr/share/doc/delta/changelog.Debian.gz', 'usr/share/doc/delta/copyright',
    ]);
    assert.equal(part0[1].content.toString(), 'c'.repeat(10));
    assert.deepEqual(part1.map((f) => f.path.split('/')[3]), ['beta', 'beta', 'gamma', 'gamma']);
    const small = await files.debianDocs(0, 1, 45, join(root, 'doc'));
    assert.ok(small.reduce((sum, f) => sum + f.content.length, 0) <= 45);
  });

  it('skips sources that do not exist', async () => {
    const files = new SampleFiles(join(root, 'missing-repository'));
    const entries = await files.entries([[join(root, 'missing'), 'a'], [join(root, 'tree/a.txt'), 'b']]);
    assert.deepEqual(entries.map((e) => e.path), ['b']);
    assert.deepEqual(await files.repositoryFile('README.md', 'app/README.md'), []);
  });

  it('finds this repository from a folder inside it', () => {
    const found = findRepositoryRoot(__dirname);
    assert.ok(found, 'found');
    assert.equal(JSON.parse(readFileSync(join(found, 'package.json'), 'utf8')).name, 'acr-artifact-streaming');
  });
});
