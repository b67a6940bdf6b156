/**
 * Badges for many tags: one limiter, a digest-keyed manifest cache (a manifest never changes
 * under its digest), a short-lived cache for what does change (tag → digest, referrers, last
 * operation) that callers invalidate per digest, and one request per key however many callers
 * ask at once. No UI here: the tree and the CLI both sit on top of it.
 */
import type { RegistryApi, StreamingApi } from '../api';
import { AcrStreamingError, toAcrStreamingError } from '../errors';
import type { ManifestSummary } from '../models';
import { isValidDigest } from '../reference';
import { abortable, throwIfAborted } from './abort';
import { computeBadge } from './computeBadge';
import { assertManifestMatches, loadBadgeSignals } from './loadBadge';
import type { BadgeSignals, LoadedBadge } from './loadBadge';
import { findUnsupportedReason } from './preflight';
import { SharedRequests } from './sharedRequests';

export interface BadgeServiceOptions {
  /** Badge look-ups in flight at once; default 6. */
  concurrency?: number;
  /** How long tag → digest, referrers and last operations are trusted; default 30 s. */
  volatileTtlMs?: number;
  /** Manifests kept (least recently used dropped first); default 5000. */
  maxManifests?: number;
  /** Injectable time source, for tests. */
  now?: () => number;
}

export interface BadgeRequestOptions {
  signal?: AbortSignal;
  /** Ask the registry again even when the short-lived cache has an answer. */
  refresh?: boolean;
}

export type BadgeLookup = { ref: string; ok: true; result: LoadedBadge } | { ref: string; ok: false; error: AcrStreamingError };

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

const DEFAULTS = { concurrency: 6, volatileTtlMs: 30_000, maxManifests: 5_000 };

function manifestKey(repository: string, digest: string): string {
  return `m|${repository}@${digest}`;
}
function signalsKey(repository: string, digest: string): string {
  return `s|${repository}@${digest}`;
}
function tagKey(repository: string, tag: string): string {
  return `t|${repository}:${tag}`;
}

export class BadgeService {
  private readonly concurrency: number;
  private readonly ttlMs: number;
  private readonly maxManifests: number;
  private readonly now: () => number;
  private readonly manifests = new Map<string, ManifestSummary>();
  private readonly volatile = new Map<string, Expiring<unknown>>();
  private readonly shared = new SharedRequests();
  private limiter?: Promise<Limit>;
  private disposed = false;

  constructor(
    private readonly registry: RegistryApi,
    private readonly streaming: StreamingApi,
    options: BadgeServiceOptions = {},
  ) {
    this.concurrency = options.concurrency ?? DEFAULTS.concurrency;
    this.ttlMs = options.volatileTtlMs ?? DEFAULTS.volatileTtlMs;
    this.maxManifests = options.maxManifests ?? DEFAULTS.maxManifests;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new AcrStreamingError('INVALID_INPUT', `The badge concurrency must be a positive integer, not ${this.concurrency}.`);
    }
  }

  /** The badge of `repository:tag` or `repository@digest`. */
  async getBadge(repository: string, tagOrDigest: string, options: BadgeRequestOptions = {}): Promise<LoadedBadge> {
    this.throwIfDisposed();
    throwIfAborted(options.signal);
    if (!options.refresh) {
      const cached = this.peek(repository, tagOrDigest);
      if (cached) {
        return cached;
      }
    }
    const limit = await abortable(this.limit(), options.signal);
    // The queue may be long: a caller that gave up meanwhile does not hold a slot.
    return abortable(
      limit(async () => {
        throwIfAborted(options.signal);
        this.throwIfDisposed();
        return this.load(repository, tagOrDigest, options);
      }),
      options.signal,
    );
  }

  /** Badges of many images; one failure does not fail the others. Results keep the order of `refs`. */
  getBadges(repository: string, refs: readonly string[], options: BadgeRequestOptions = {}): Promise<BadgeLookup[]> {
    return Promise.all(
      refs.map(async (ref): Promise<BadgeLookup> => {
        try {
          return { ref, ok: true, result: await this.getBadge(repository, ref, options) };
        } catch (error) {
          return { ref, ok: false, error: toAcrStreamingError(error) };
        }
      }),
    );
  }

  /** The badge from the caches alone, when they hold everything it needs. Never calls the registry. */
  peek(repository: string, tagOrDigest: string): LoadedBadge | undefined {
    const digest = isValidDigest(tagOrDigest) ? tagOrDigest : this.fresh<string>(tagKey(repository, tagOrDigest));
    const manifest = digest === undefined ? undefined : this.manifests.get(manifestKey(repository, digest));
    if (!manifest) {
      return undefined;
    }
    if (findUnsupportedReason(manifest)) {
      return { digest: manifest.digest, manifest, badge: computeBadge({ manifest, streamingReferrers: [] }) };
    }
    const signals = this.fresh<BadgeSignals>(signalsKey(repository, manifest.digest));
    return signals ? { digest: manifest.digest, manifest, badge: computeBadge({ manifest, ...signals }) } : undefined;
  }

  /**
   * Forgets what may have changed for one image (after a conversion was started, finished or
   * cancelled), or for the whole repository when no digest is given. Manifests are kept.
   */
  invalidate(repository: string, digest?: string): void {
    const matches = (key: string): boolean =>
      digest === undefined ? key.startsWith(`s|${repository}@`) || key.startsWith(`t|${repository}:`) : key === signalsKey(repository, digest);
    for (const key of [...this.volatile.keys()]) {
      if (matches(key)) {
        this.volatile.delete(key);
      }
    }
    // Work already under way may have read the old state: let it finish, but not be cached.
    this.shared.forget(matches);
  }

  /** Forgets everything, manifests included (sign-out, registry removed). */
  clear(): void {
    this.manifests.clear();
    this.volatile.clear();
    this.shared.forget(() => true);
  }

  dispose(): void {
    this.disposed = true;
    this.shared.abortAll();
    this.manifests.clear();
    this.volatile.clear();
  }

  private async load(repository: string, tagOrDigest: string, options: BadgeRequestOptions): Promise<LoadedBadge> {
    const manifest = await this.manifest(repository, tagOrDigest, options);
    if (findUnsupportedReason(manifest)) {
      return { digest: manifest.digest, manifest, badge: computeBadge({ manifest, streamingReferrers: [] }) };
    }
    const signals = await this.signals(repository, manifest, options);
    return { digest: manifest.digest, manifest, badge: computeBadge({ manifest, ...signals }) };
  }

  private async manifest(repository: string, tagOrDigest: string, options: BadgeRequestOptions): Promise<ManifestSummary> {
    const byDigest = isValidDigest(tagOrDigest);
    const digest = byDigest ? tagOrDigest : options.refresh ? undefined : this.fresh<string>(tagKey(repository, tagOrDigest));
    if (digest !== undefined) {
      const cached = this.manifests.get(manifestKey(repository, digest));
      if (cached) {
        this.touch(manifestKey(repository, digest), cached);
        return cached;
      }
    }
    const ref = digest ?? tagOrDigest;
    const key = byDigest || digest !== undefined ? manifestKey(repository, ref) : tagKey(repository, ref);
    return this.shared.run(
      key,
      async (signal) => {
        const manifest = await this.registry.getManifest(repository, ref, { signal });
        assertManifestMatches(manifest, ref);
        return manifest;
      },
      options.signal,
      (manifest) => {
        this.touch(manifestKey(repository, manifest.digest), manifest);
        if (!isValidDigest(ref)) {
          this.volatile.set(tagKey(repository, ref), { value: manifest.digest, expiresAt: this.now() + this.ttlMs });
        }
      },
    );
  }

  private async signals(repository: string, manifest: ManifestSummary, options: BadgeRequestOptions): Promise<BadgeSignals> {
    const key = signalsKey(repository, manifest.digest);
    if (!options.refresh) {
      const cached = this.fresh<BadgeSignals>(key);
      if (cached) {
        return cached;
      }
    }
    return this.shared.run(key, (signal) => loadBadgeSignals(this.streaming, repository, manifest, { signal }), options.signal, (signals) =>
      this.volatile.set(key, { value: signals, expiresAt: this.now() + this.ttlMs }),
    );
  }

  private fresh<T>(key: string): T | undefined {
    const entry = this.volatile.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.volatile.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** Least-recently-used order: a Map iterates in insertion order, so re-insert on use. */
  private touch(key: string, manifest: ManifestSummary): void {
    this.manifests.delete(key);
    this.manifests.set(key, manifest);
    while (this.manifests.size > this.maxManifests) {
      const oldest = this.manifests.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.manifests.delete(oldest);
    }
  }

  private limit(): Promise<Limit> {
    // p-limit is ESM-only; a dynamic import keeps this module loadable from CommonJS.
    this.limiter ??= import('p-limit').then(({ default: pLimit }) => pLimit(this.concurrency) as Limit);
    return this.limiter;
  }

  private throwIfDisposed(): void {
    if (this.disposed) {
      throw new AcrStreamingError('CANCELLED', 'The badge service was disposed.');
    }
  }
}
