/**
 * One repository as the storage tree has it: tags (with their times), revisions (parsed),
 * which of them are bookkeeping, and the subject → referrers index.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Descriptor } from '../../src/core/models';
import { FALLBACK_MARKER_ANNOTATION, isFallbackTag } from './fallbackTags';
import { referrerDescriptor, type ManifestInfo } from './manifestInfo';
import { mapLimit } from './mapLimit';
import type { RegistryMetadata } from './metadataCache';
import { isMissing, readLink } from './storageLayout';

const IO_CONCURRENCY = 32;

export interface TagTimeRecord {
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
}

/** Tag times recorded by the emulator when it saw the push (more precise than file times). */
export type TagTimeLookup = (repository: string, tag: string) => TagTimeRecord | undefined;

export interface TagRecord {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
}

export interface PlatformInfo {
  os?: string;
  architecture?: string;
  variant?: string;
}

export interface ManifestRecord {
  info: ManifestInfo;
  createdTime: string;
  lastUpdateTime: string;
  /** Visible tags pointing at it, sorted. */
  tags: string[];
  platform?: PlatformInfo;
  references?: Array<{ digest: string; architecture?: string; os?: string }>;
  imageSize: number;
  /** Bookkeeping (referrers fallback indexes): not shown by /acr/v1. */
  hidden: boolean;
}

export interface RepositorySnapshot {
  name: string;
  /** Visible tags, sorted by name. */
  tags: TagRecord[];
  tagByName: Map<string, TagRecord>;
  /** Visible manifests, sorted by digest. */
  manifests: ManifestRecord[];
  /** Every revision, hidden ones included. */
  byDigest: Map<string, ManifestRecord>;
  /** Subject digest → referrer descriptors (sorted by digest). */
  referrers: Map<string, Descriptor[]>;
  /** Every tag (fallback tags included) → digest. */
  allTags: Map<string, string>;
  createdTime: string;
  lastUpdateTime: string;
}

export async function buildSnapshot(metadata: RegistryMetadata, tagTimes: TagTimeLookup, name: string): Promise<RepositorySnapshot | undefined> {
const { layout } = metadata;
  try {
    await stat(`${layout.repositoryDir(name)}/_manifests`);
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
  const revisionEntries = await readDirNames(layout.revisionsDir(name));
  const revisions = (
    await mapLimit(revisionEntries, IO_CONCURRENCY, async (hex) => {
      const link = await readLink(`${layout.revisionsDir(name)}/${hex}/link`);
      if (!link) {
        return undefined;
      }
      const info = await metadata.manifest(link.digest);
      return info ? { info, time: link.mtime.toISOString() } : undefined;
    })
  ).filter((r): r is { info: ManifestInfo; time: string } => r !== undefined);
  const revisionDigests = new Set(revisions.map((r) => r.info.digest));

  const tagNames = await readDirNames(layout.tagsDir(name));
  const allTags = new Map<string, string>();
  const tags: TagRecord[] = [];
  await mapLimit(tagNames, IO_CONCURRENCY, async (tag) => {
    const link = await readLink(layout.tagCurrentLink(name, tag));
    if (!link || !revisionDigests.has(link.digest)) {
      return;
    }
    allTags.set(tag, link.digest);
    if (isFallbackTag(tag)) {
      return;
    }
    const recorded = tagTimes(name, tag);
    if (recorded && recorded.digest === link.digest) {
      tags.push({ name: tag, digest: link.digest, createdTime: recorded.createdTime, lastUpdateTime: recorded.lastUpdateTime });
    } else {
      const time = link.mtime.toISOString();
      tags.push({ name: tag, digest: link.digest, createdTime: recorded?.createdTime ?? time, lastUpdateTime: time });
    }
  });
  tags.sort((a, b) => compare(a.name, b.name));

  const tagsByDigest = new Map<string, string[]>();
  const fallbackTagged = new Set<string>();
  for (const [tag, digest] of allTags) {
    if (isFallbackTag(tag)) {
      fallbackTagged.add(digest);
    } else {
      tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), tag]);
    }
  }

  const byDigest = new Map<string, ManifestRecord>();
  const referrers = new Map<string, Descriptor[]>();
  await mapLimit(revisions, IO_CONCURRENCY, async ({ info, time }) => {
    const visibleTags = (tagsByDigest.get(info.digest) ?? []).sort(compare);
    const hidden =
      info.annotations?.[FALLBACK_MARKER_ANNOTATION] !== undefined ||
      (info.kind === 'index' && visibleTags.length === 0 && fallbackTagged.has(info.digest));
    const record: ManifestRecord = {
      info,
      createdTime: time,
      lastUpdateTime: time,
      tags: visibleTags,
      imageSize: info.kind === 'image' ? (info.config?.size ?? 0) + info.layers.reduce((sum, l) => sum + l.size, 0) : info.size,
      hidden,
    };
    if (info.kind === 'image' && info.config) {
      record.platform = await metadata.imagePlatform(info.config.digest);
    }
    if (info.kind === 'index') {
      record.references = info.manifests.map((m) => ({ digest: m.digest, architecture: m.platform?.architecture, os: m.platform?.os }));
    }
    byDigest.set(info.digest, record);
    if (info.subject) {
      const list = referrers.get(info.subject.digest) ?? [];
      list.push(referrerDescriptor(info));
      referrers.set(info.subject.digest, list);
    }
  });
  for (const list of referrers.values()) {
    list.sort((a, b) => compare(a.digest, b.digest));
  }
  const manifests = [...byDigest.values()].filter((m) => !m.hidden).sort((a, b) => compare(a.info.digest, b.info.digest));

  const times = [...manifests.map((m) => m.createdTime), ...tags.map((t) => t.lastUpdateTime)].sort();
  const fallbackTime = (await stat(layout.repositoryDir(name))).mtime.toISOString();
  return {
    name,
    tags,
    tagByName: new Map(tags.map((t) => [t.name, t])),
    manifests,
    byDigest,
    referrers,
    allTags,
    createdTime: manifests.map((m) => m.createdTime).sort()[0] ?? fallbackTime,
    lastUpdateTime: times[times.length - 1] ?? fallbackTime,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readDirNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw error;
  }
}
