/**
 * Keeps the OCI 1.1 referrers tag schema (`sha256-<hex>` → index of referrers) in the registry
 * underneath, for clients pointed straight at it. Updates of one subject are serialised.
 */
import { MEDIA_TYPES } from '../../src/core/mediaTypes';
import { FALLBACK_MARKER_ANNOTATION, fallbackTagFor } from '../registry/fallbackTags';
import type { RegistryMetadata } from '../registry/metadataCache';
import type { UpstreamClient } from '../upstream/upstreamClient';

export class FallbackTagWriter {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly metadata: RegistryMetadata,
    private readonly log: (line: string) => void,
  ) {}

  update(repository: string, subjectDigest: string): Promise<void> {
    const key = `${repository}@${subjectDigest}`;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.write(repository, subjectDigest))
      .catch((error: unknown) => this.log(`could not update referrers tag of ${key}: ${error instanceof Error ? error.message : String(error)}`));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) {
        this.chains.delete(key);
      }
    });
    return next;
  }

  private async write(repository: string, subjectDigest: string): Promise<void> {
    this.metadata.invalidate(repository);
    const snapshot = await this.metadata.repository(repository);
    if (!snapshot) {
      return;
    }
    const referrers = snapshot.referrers.get(subjectDigest) ?? [];
    const tag = fallbackTagFor(subjectDigest);
    const previous = snapshot.allTags.get(tag);
    const previousIsOurs = previous !== undefined && snapshot.byDigest.get(previous)?.info.annotations?.[FALLBACK_MARKER_ANNOTATION] !== undefined;
    if (referrers.length === 0) {
      if (previous !== undefined && previousIsOurs) {
        await this.upstream.deleteManifest(repository, previous);
      }
    } else {
      const index = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: referrers,
        // Marks it as the emulator's bookkeeping, and makes each subject's index unique.
        annotations: { [FALLBACK_MARKER_ANNOTATION]: subjectDigest },
      };
      const digest = await this.upstream.putManifest(repository, tag, Buffer.from(JSON.stringify(index)), MEDIA_TYPES.ociIndex);
      if (previous !== undefined && previousIsOurs && previous !== digest) {
        await this.upstream.deleteManifest(repository, previous);
      }
    }
    this.metadata.invalidate(repository);
  }
}
