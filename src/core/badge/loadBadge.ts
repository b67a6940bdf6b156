/** Fetches what a badge needs from the registry, with as few calls as the rules allow. */
import type { RegistryApi, RequestOptions, StreamingApi } from '../api';
import { AcrStreamingError, isAcrStreamingError } from '../errors';
import { STREAMING_ARTIFACT_TYPE } from '../mediaTypes';
import type { Descriptor, ManifestSummary, StreamingOperation } from '../models';
import { isValidDigest } from '../reference';
import { throwIfAborted } from './abort';
import type { BadgeState } from './badgeState';
import { computeBadge, isStreamingArtifact } from './computeBadge';
import { findUnsupportedReason, linuxAmd64Children } from './preflight';

export interface LoadedBadge {
  digest: string;
  manifest: ManifestSummary;
  badge: BadgeState;
}

export interface BadgeSignals {
  streamingReferrers: Descriptor[];
  lastOperation?: StreamingOperation;
}

// A child listed in an index may be absent from the registry (partial push or copy).
const ABSENT_CODES = new Set(['NOT_FOUND', 'MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);

/**
 * Streaming referrers of an image. For an index, those of its linux/amd64 entry count too:
 * that entry is what ACR converts. Filtered here as well, in case a server ignored the filter.
 */
export async function listStreamingReferrers(
  streaming: Pick<StreamingApi, 'listReferrers'>,
  repository: string,
  manifest: ManifestSummary,
  options: RequestOptions = {},
): Promise<Descriptor[]> {
  const query = { signal: options.signal, artifactType: STREAMING_ARTIFACT_TYPE };
  const own = streaming.listReferrers(repository, manifest.digest, query);
  const children = linuxAmd64Children(manifest)
    .filter((child) => child.digest !== manifest.digest)
    .map((child) =>
      streaming.listReferrers(repository, child.digest, query).catch((error: unknown) => {
        if (isAcrStreamingError(error) && ABSENT_CODES.has(error.code)) {
          return [];
        }
        throw error;
      }),
    );
  const lists = await Promise.all([own, ...children]);
  const seen = new Set<string>();
  const result: Descriptor[] = [];
  for (const descriptor of lists.flat()) {
    if (isStreamingArtifact(descriptor) && !seen.has(descriptor.digest)) {
      seen.add(descriptor.digest);
      result.push(descriptor);
    }
  }
  return result;
}

/** Referrers and last operation, fetched in parallel. Only worth asking for a convertible image. */
export async function loadBadgeSignals(
  streaming: Pick<StreamingApi, 'listReferrers' | 'getLastOperation'>,
  repository: string,
  manifest: ManifestSummary,
  options: RequestOptions = {},
): Promise<BadgeSignals> {
  const [streamingReferrers, lastOperation] = await Promise.all([
    listStreamingReferrers(streaming, repository, manifest, options),
    streaming.getLastOperation(repository, manifest.digest, { signal: options.signal }),
  ]);
  return { streamingReferrers, lastOperation };
}

/** A manifest asked for by digest must be that digest: anything else is a broken reply. */
export function assertManifestMatches(manifest: ManifestSummary, tagOrDigest: string): void {
  if (isValidDigest(tagOrDigest) && manifest.digest !== tagOrDigest) {
    throw new AcrStreamingError('INVALID_RESPONSE', `The registry answered ${tagOrDigest} with a different manifest (${manifest.digest}).`, {
      hint: 'Try again; if it persists, the registry or a proxy in between is misbehaving.',
    });
  }
}

/** The badge of `repository:tag` or `repository@digest`. An unconvertible image costs one call. */
export async function loadBadge(
  registry: RegistryApi,
  streaming: StreamingApi,
  repository: string,
  tagOrDigest: string,
  options: RequestOptions = {},
): Promise<LoadedBadge> {
  throwIfAborted(options.signal);
  const manifest = await registry.getManifest(repository, tagOrDigest, { signal: options.signal });
  throwIfAborted(options.signal);
  assertManifestMatches(manifest, tagOrDigest);
  if (findUnsupportedReason(manifest)) {
    return { digest: manifest.digest, manifest, badge: computeBadge({ manifest, streamingReferrers: [] }) };
  }
  const signals = await loadBadgeSignals(streaming, repository, manifest, options);
  return { digest: manifest.digest, manifest, badge: computeBadge({ manifest, ...signals }) };
}
