/**
 * What happens when a manifest is pushed or deleted, whichever way the emulator learns of it:
 * through its own proxy (before the client gets its reply), or through docker-registry's
 * notifications (pushes made straight to the registry underneath). The same push seen twice
 * is handled once.
 */
import { RUNNABLE_CONFIG_MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../src/core/mediaTypes';
import { isLinuxAmd64 } from '../conversion/precheck';
import type { ConversionScheduler } from '../conversion/scheduler';
import type { OperationStore } from '../operations/operationStore';
import type { FallbackTagWriter } from '../referrers/fallbackTagWriter';
import type { StateStore } from '../state/stateStore';
import type { RepositorySettingsStore } from '../streaming/repositorySettings';
import type { UpstreamClient } from '../upstream/upstreamClient';
import { fallbackTagFor, isFallbackTag } from './fallbackTags';
import type { ManifestInfo } from './manifestInfo';
import type { RegistryMetadata } from './metadataCache';

const DEDUPE_MS = 120_000;
const MANIFEST_MEDIA_TYPE = /manifest|index/;

export interface RegistryEventsDeps {
  metadata: RegistryMetadata;
  state: StateStore;
  settings: RepositorySettingsStore;
  operations: OperationStore;
  scheduler: ConversionScheduler;
  fallback: FallbackTagWriter;
  upstream: UpstreamClient;
  log: (line: string) => void;
}

export class RegistryEvents {
  /** Recently handled events, and their handling: a second sighting waits for the first. */
  private readonly seen = new Map<string, { at: number; done: Promise<void> }>();

  constructor(private readonly deps: RegistryEventsDeps) {}

  /** A manifest was stored (by tag when `tag` is set). */
  manifestPushed(repository: string, digest: string, tag?: string): Promise<void> {
    // A second sighting (the registry's notification after the proxy saw the push) changes
    // nothing: the cache is not invalidated again, which matters during bulk pushes.
    return this.once(`push ${repository}@${digest} ${tag ?? ''}`, () => {
      this.deps.metadata.invalidate(repository);
      return this.handlePush(repository, digest, tag);
    });
  }

  /** A manifest was deleted: its referrers go too (as in ACR), and referrers tags are fixed. */
  manifestDeleted(repository: string, digest: string): Promise<void> {
    return this.once(`delete ${repository}@${digest}`, () => {
      this.deps.metadata.invalidate(repository);
      return this.handleDelete(repository, digest);
    });
  }

  private async handlePush(repository: string, digest: string, tag?: string): Promise<void> {
    if (tag && !isFallbackTag(tag)) {
      this.recordTag(repository, tag, digest);
    }
    if (tag) {
      await this.autoConvert(repository, digest).catch((error: unknown) =>
        this.deps.log(`auto-conversion of ${repository}@${digest} not started: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  private async handleDelete(repository: string, digest: string): Promise<void> {
    const snapshot = await this.deps.metadata.repository(repository);
    for (const referrer of snapshot?.referrers.get(digest) ?? []) {
      if (await this.deps.upstream.deleteManifest(repository, referrer.digest)) {
        await this.manifestDeleted(repository, referrer.digest);
      }
    }
    const fallback = snapshot?.allTags.get(fallbackTagFor(digest));
    if (fallback) {
      await this.deps.upstream.deleteManifest(repository, fallback);
    }
    // A deleted referrer leaves its subject's referrers tag to fix (unless the subject is gone too).
    const info = await this.deps.metadata.manifest(digest);
    if (info?.subject && (await this.deps.metadata.manifestInRepository(repository, info.subject.digest))) {
      await this.deps.fallback.update(repository, info.subject.digest);
    }
    this.deps.metadata.invalidate(repository);
  }

  /** docker-registry's notification envelope: `{"events":[{action, target:{repository, digest, tag, mediaType}}]}`. */
  async handleNotification(body: unknown): Promise<void> {
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) {
      return;
    }
    for (const event of events as Array<Record<string, unknown>>) {
      const target = event?.target as Record<string, unknown> | undefined;
      const repository = typeof target?.repository === 'string' ? target.repository : undefined;
      const digest = typeof target?.digest === 'string' ? target.digest : undefined;
      if (!repository || !digest) {
        continue;
      }
      if (event.action === 'push' && typeof target?.mediaType === 'string' && MANIFEST_MEDIA_TYPE.test(target.mediaType)) {
        await this.manifestPushed(repository, digest, typeof target.tag === 'string' ? target.tag : undefined);
      } else if (event.action === 'delete') {
        await this.manifestDeleted(repository, digest);
      }
    }
  }

  private once(key: string, work: () => Promise<void>): Promise<void> {
    const now = Date.now();
    if (this.seen.size > 10_000) {
      for (const [k, entry] of this.seen) {
        if (now - entry.at > DEDUPE_MS) {
          this.seen.delete(k);
        }
      }
    }
    const previous = this.seen.get(key);
    if (previous && now - previous.at <= DEDUPE_MS) {
      return previous.done;
    }
    const done = work();
    this.seen.set(key, { at: now, done: done.catch(() => undefined) });
    return done;
  }

  private recordTag(repository: string, tag: string, digest: string): void {
    const { state } = this.deps.state;
    const tags = (state.tagTimes[repository] ??= {});
    const now = new Date().toISOString();
    const existing = tags[tag];
    if (existing && existing.digest === digest) {
      return;
    }
    tags[tag] = { digest, createdTime: existing?.createdTime ?? now, lastUpdateTime: now };
    this.deps.state.changed();
  }

  private async autoConvert(repository: string, digest: string): Promise<void> {
    if (!this.deps.settings.isActive(repository)) {
      return;
    }
    const info = await this.deps.metadata.manifest(digest);
    if (!info || !(await this.isRunnableImage(info))) {
      return;
    }
    const last = this.deps.operations.lastForDigest(repository, digest);
    if (last && last.status === 'Succeeded') {
      return;
    }
    this.deps.scheduler.start(repository, digest, true);
  }

  /** A linux/amd64 image (or an index with one) that is not itself an artifact with a subject. */
  private async isRunnableImage(info: ManifestInfo): Promise<boolean> {
    if (info.subject || info.artifactType === STREAMING_ARTIFACT_TYPE) {
      return false;
    }
    if (info.kind === 'index') {
      return info.manifests.some(isLinuxAmd64);
    }
    if (info.kind !== 'image' || !info.config || !RUNNABLE_CONFIG_MEDIA_TYPES.includes(info.config.mediaType)) {
      return false;
    }
    const platform = await this.deps.metadata.imagePlatform(info.config.digest);
    return platform?.os === 'linux' && platform.architecture === 'amd64';
  }
}
