/**
 * Where distribution 2.8's filesystem driver keeps things. The emulator reads this tree
 * directly for listings: it is the registry's own source of truth and far faster than walking
 * the HTTP API tag by tag.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export class StorageLayout {
  readonly v2: string;

  constructor(readonly storageDir: string) {
    this.v2 = join(storageDir, 'docker', 'registry', 'v2');
  }

  get repositoriesDir(): string {
    return join(this.v2, 'repositories');
  }

  repositoryDir(repository: string): string {
    return join(this.repositoriesDir, ...repository.split('/'));
  }

  tagsDir(repository: string): string {
    return join(this.repositoryDir(repository), '_manifests', 'tags');
  }

  tagDir(repository: string, tag: string): string {
    return join(this.tagsDir(repository), tag);
  }

  tagCurrentLink(repository: string, tag: string): string {
    return join(this.tagDir(repository, tag), 'current', 'link');
  }

  revisionsDir(repository: string): string {
    return join(this.repositoryDir(repository), '_manifests', 'revisions', 'sha256');
  }

  revisionLink(repository: string, digest: string): string {
    return join(this.revisionsDir(repository), digest.replace(/^sha256:/, ''), 'link');
  }

  blobData(digest: string): string {
    const hex = digest.replace(/^sha256:/, '');
    return join(this.v2, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A link file's digest and modification time, or undefined when there is none. */
export async function readLink(path: string): Promise<{ digest: string; mtime: Date } | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const digest = content.trim();
    return /^sha256:[a-f0-9]{64}$/.test(digest) ? { digest, mtime: info.mtime } : undefined;
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

export async function readOptionalFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

export { isMissing };
