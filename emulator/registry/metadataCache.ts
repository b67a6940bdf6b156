/**
 * Listings of the registry's content, read from its storage tree and cached per repository.
 * Parsed manifests and image configs are cached by digest forever (content never changes);
 * a repository's snapshot (tags, revisions, referrers) is rebuilt after a push or delete
 * invalidates it, so a 1,500-tag repository is read once, not per request.
 */
import { readdir } from 'node:fs/promises';
import { parseManifest, type ManifestInfo } from './manifestInfo';
import { buildSnapshot, type PlatformInfo, type RepositorySnapshot, type TagTimeLookup } from './repositorySnapshot';
import { isMissing, readLink, readOptionalFile, type StorageLayout } from './storageLayout';

export type { ManifestRecord, PlatformInfo, RepositorySnapshot, TagRecord, TagTimeLookup, TagTimeRecord } from './repositorySnapshot';

export class RegistryMetadata {
  private readonly manifests = new Map<string, ManifestInfo>();
  private readonly platforms = new Map<string, PlatformInfo | null>();
  private readonly snapshots = new Map<string, Promise<RepositorySnapshot | undefined>>();
  private readonly generations = new Map<string, number>();
  private repositoriesCache?: Promise<string[]>;

  constructor(
    readonly layout: StorageLayout,
    private readonly tagTimes: TagTimeLookup,
  ) {}

  /** Forgets what is cached about `repository` (after a push or delete) and the catalog. */
  invalidate(repository?: string): void {
    this.repositoriesCache = undefined;
    if (repository === undefined) {
      this.snapshots.clear();
      return;
    }
    this.generations.set(repository, (this.generations.get(repository) ?? 0) + 1);
    this.snapshots.delete(repository);
  }

  listRepositories(): Promise<string[]> {
    this.repositoriesCache ??= this.walkRepositories().catch((error: unknown) => {
      this.repositoriesCache = undefined;
      throw error;
    });
    return this.repositoriesCache;
  }

  /** The repository's snapshot, or undefined when it does not exist. */
  repository(name: string): Promise<RepositorySnapshot | undefined> {
    const cached = this.snapshots.get(name);
    if (cached) {
      return cached;
    }
    const generation = this.generations.get(name) ?? 0;
    const building = buildSnapshot(this, this.tagTimes, name);
    this.snapshots.set(name, building);
    building.then(
      () => {
        // An invalidation while building makes this result stale: do not keep it.
        if ((this.generations.get(name) ?? 0) !== generation && this.snapshots.get(name) === building) {
          this.snapshots.delete(name);
        }
      },
      () => {
        if (this.snapshots.get(name) === building) {
          this.snapshots.delete(name);
        }
      },
    );
    return building;
  }

  /** A manifest by digest from the blob store, whatever repository holds it. */
  async manifest(digest: string): Promise<ManifestInfo | undefined> {
    const cached = this.manifests.get(digest);
    if (cached) {
      return cached;
    }
    const bytes = await readOptionalFile(this.layout.blobData(digest));
    if (!bytes) {
      return undefined;
    }
    const info = parseManifest(bytes, digest);
    this.manifests.set(digest, info);
    return info;
  }

  /** The raw bytes of a stored blob (manifests and configs are small). */
  readBlob(digest: string): Promise<Buffer | undefined> {
    return readOptionalFile(this.layout.blobData(digest));
  }

  /** Fresh (uncached) check that `digest` is a manifest of `repository`, and its content. */
  async manifestInRepository(repository: string, digest: string): Promise<ManifestInfo | undefined> {
    const link = await readLink(this.layout.revisionLink(repository, digest));
    return link ? this.manifest(digest) : undefined;
  }

  /** os/architecture from an image config blob (cached by digest; undefined when unreadable). */
  async imagePlatform(configDigest: string): Promise<PlatformInfo | undefined> {
    if (this.platforms.has(configDigest)) {
      return this.platforms.get(configDigest) ?? undefined;
    }
    const bytes = await readOptionalFile(this.layout.blobData(configDigest));
    if (!bytes) {
      return undefined;
    }
    let platform: PlatformInfo | null = null;
    try {
      const config = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      platform = {
        os: typeof config.os === 'string' ? config.os : undefined,
        architecture: typeof config.architecture === 'string' ? config.architecture : undefined,
        variant: typeof config.variant === 'string' ? config.variant : undefined,
      };
    } catch {
      platform = null;
    }
    this.platforms.set(configDigest, platform);
    return platform ?? undefined;
  }

  private async walkRepositories(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string, prefix: string[]): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) {
          return;
        }
        throw error;
      }
      if (prefix.length > 0 && entries.some((e) => e.isDirectory() && e.name === '_manifests')) {
        found.push(prefix.join('/'));
      }
      for (const entry of entries) {
        if (entry.isDirectory() && !entry.name.startsWith('_')) {
          await walk(`${dir}/${entry.name}`, [...prefix, entry.name]);
        }
      }
    };
    await walk(this.layout.repositoriesDir, []);
    return found.sort();
  }
}
