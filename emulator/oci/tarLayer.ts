/**
 * Deterministic layer tarballs: entries sorted by path, parent directories added, owner root,
 * one fixed mtime. The same files therefore always give the same tar and the same gzip (Node's
 * gzip header carries mtime 0), so a seed gives the same digests on every run.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import * as tar from 'tar-stream';

const gzip = promisify(gzipCallback);

/** Fixed timestamp of every tar entry (2024-01-01T00:00:00Z). */
export const LAYER_MTIME = new Date('2024-01-01T00:00:00Z');

export interface FileEntry {
  /** Path inside the image, e.g. `etc/os-release` (a leading `/` is accepted and dropped). */
  path: string;
  content: Uint8Array;
  /** Permission bits; default 0o644. */
  mode?: number;
}

/** Validates and normalises an in-image path to `a/b/c` form. */
export function normaliseImagePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.some((part) => part === '..')) {
    throw new Error(`Invalid path inside the image: "${path}"`);
  }
  return parts.join('/');
}

/** Builds the uncompressed tar of `files`. */
export async function buildTar(files: readonly FileEntry[]): Promise<Buffer> {
  const byPath = new Map<string, FileEntry>();
  for (const file of files) {
    const path = normaliseImagePath(file.path);
    if (byPath.has(path)) {
      throw new Error(`Duplicate path in layer: ${path}`);
    }
    byPath.set(path, file);
  }
  const directories = new Set<string>();
  for (const path of byPath.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      directories.add(parts.slice(0, i).join('/'));
    }
  }
  for (const directory of directories) {
    if (byPath.has(directory)) {
      throw new Error(`Path is both a file and a directory in layer: ${directory}`);
    }
  }
  const entries = [...directories].map((path) => ({ path, directory: true }));
  entries.push(...[...byPath.keys()].map((path) => ({ path, directory: false })));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const pack = tar.pack();
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of pack) {
      chunks.push(chunk as Uint8Array);
    }
  })();
  const common = { mtime: LAYER_MTIME, uid: 0, gid: 0, uname: 'root', gname: 'root' };
  for (const entry of entries) {
    if (entry.directory) {
      await addEntry(pack, { ...common, name: `${entry.path}/`, type: 'directory', mode: 0o755 });
    } else {
      const file = byPath.get(entry.path) as FileEntry;
      const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
      await addEntry(pack, { ...common, name: entry.path, type: 'file', mode: file.mode ?? 0o644, size: content.length }, content);
    }
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** The header argument of `pack.entry` (named differently across tar-stream's typings). */
type EntryHeader = Parameters<tar.Pack['entry']>[0];

function addEntry(pack: tar.Pack, header: EntryHeader, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const callback = (error?: Error | null) => (error ? reject(error) : resolve());
    if (content === undefined) {
      pack.entry(header, callback);
    } else {
      pack.entry(header, content, callback);
    }
  });
}

/** Gzip with fixed settings, so equal input gives equal bytes. */
export function gzipLayer(tarBytes: Uint8Array): Promise<Buffer> {
  return gzip(tarBytes, { level: 6 });
}
