/**
 * Real files for sample layers: OS release data, license texts, tz data, Debian package docs,
 * and this repository's own README/LICENSE. Real bytes make layers compress and stream like
 * real images do; missing sources are skipped, so the seed works on any Linux host.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileEntry } from '../oci/imageBuilder';

/** Reads files once per seed run; several images share the same sources. */
export class SampleFiles {
  private readonly cache = new Map<string, Promise<Buffer | undefined>>();

  constructor(private readonly repositoryRoot: string | undefined = findRepositoryRoot(__dirname)) {}

  /** The file's bytes (symlinks followed), or undefined when it cannot be read. */
  read(source: string): Promise<Buffer | undefined> {
    let pending = this.cache.get(source);
    if (!pending) {
      pending = readFile(source).catch(() => undefined);
      this.cache.set(source, pending);
    }
    return pending;
  }

  /** `[source, pathInImage]` pairs that exist, as layer entries. */
  async entries(pairs: ReadonlyArray<readonly [string, string]>): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    for (const [source, path] of pairs) {
      const content = await this.read(source);
      if (content) {
        entries.push({ path, content });
      }
    }
    return entries;
  }

  /** Regular files under `directory` (symlinks skipped), sorted, mapped under `prefix`, up to `maxBytes`. */
  async tree(directory: string, prefix: string, maxBytes = Number.POSITIVE_INFINITY): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    let total = 0;
    for (const relative of await listRegularFiles(directory)) {
      const content = await this.read(join(directory, relative));
      if (!content || total + content.length > maxBytes) {
        continue;
      }
      total += content.length;
      entries.push({ path: `${prefix}/${relative}`, content });
    }
    return entries;
  }

  /**
   * Debian package docs (`copyright` and the gzip'd changelogs/NEWS at the top of each package's
   * folder) of every `parts`-th package from `part`, under `usr/share/doc`, up to `maxBytes`.
   * Files already gzip'd keep a layer's compressed size close to its real size, as in real images.
   */
  async debianDocs(part: number, parts: number, maxBytes: number, docRoot = '/usr/share/doc'): Promise<FileEntry[]> {
    const packages = (await readdir(docRoot).catch(() => [] as string[])).sort();
    const entries: FileEntry[] = [];
    let total = 0;
    for (let i = part; i < packages.length && total < maxBytes; i += parts) {
      const names = (await readdir(join(docRoot, packages[i])).catch(() => [] as string[])).filter((name) => name === 'copyright' || name.endsWith('.gz')).sort();
      for (const name of names) {
        const source = join(docRoot, packages[i], name);
        const stats = await lstat(source).catch(() => undefined);
        const content = stats?.isFile() ? await this.read(source) : undefined;
        if (content && total + content.length <= maxBytes) {
          total += content.length;
          entries.push({ path: `usr/share/doc/${packages[i]}/${name}`, content });
        }
      }
    }
    return entries;
  }

  /** A file of this repository (README.md, LICENSE…), mapped to `path`. */
  async repositoryFile(name: string, path: string): Promise<FileEntry[]> {
    return this.repositoryRoot ? this.entries([[join(this.repositoryRoot, name), path]]) : [];
  }
}

/** Relative paths of regular files under `root`, depth first, sorted at each level. */
async function listRegularFiles(root: string, relative = ''): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(join(root, relative))).sort();
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of names) {
    const path = relative ? `${relative}/${name}` : name;
    const stats = await lstat(join(root, path)).catch(() => undefined);
    if (stats?.isDirectory()) {
      files.push(...(await listRegularFiles(root, path)));
    } else if (stats?.isFile()) {
      files.push(path);
    }
  }
  return files;
}

/** The nearest folder above `start` that holds this project's package.json (works from source and from dist/). */
export function findRepositoryRoot(start: string): string | undefined {
  let current = start;
  for (;;) {
    if (existsSync(join(current, 'package.json')) && existsSync(join(current, 'emulator'))) {
      return current;
    }
    const parent = dirname(current);
    if (parent === current) {
      return undefined;
    }
    current = parent;
  }
}
