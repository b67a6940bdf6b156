/** In-memory stand-ins for the narrow interfaces the extension modules consume. */
import type { RegistryApi, RequestOptions, StreamingApi } from '../../../src/core/api';
import type { BadgeState } from '../../../src/core/badge/badgeState';
import { AcrStreamingError } from '../../../src/core/errors';
import type { Logger } from '../../../src/core/logger';
import type { Descriptor, ManifestSummary, Page, PageOptions, RepositoryInfo, RepositoryStreamingState, StreamingOperation, TagInfo } from '../../../src/core/models';
import type { SecretStore, StateStore } from '../../../src/services/registryStore';

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const DIGEST_C = `sha256:${'c'.repeat(64)}`;

export function digestOf(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

export class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    // Memento stores JSON: keep only what survives a round trip.
    this.values.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  }
}

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace(m: string): void {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug ${m}`);
  }
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
}

/** Pages `items` by `pageSize`, with the index of the next item as the continuation. */
export function pageOf<T>(items: readonly T[], options: PageOptions = {}): Page<T> {
  const start = options.continuation ? Number(options.continuation) : 0;
  const size = options.pageSize ?? 100;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return next ? { items: slice, continuation: next } : { items: slice };
}

export class FakeRegistry implements RegistryApi {
  readonly loginServer: string;
  repositories: string[] = [];
  tags = new Map<string, TagInfo[]>();
  calls: string[] = [];
  failWith?: AcrStreamingError;

  constructor(loginServer = 'reg.example.io') {
    this.loginServer = loginServer;
  }

  async listRepositories(options?: PageOptions): Promise<Page<string>> {
    this.calls.push(`listRepositories ${options?.continuation ?? ''}`);
    if (this.failWith) {
      throw this.failWith;
    }
    return pageOf(this.repositories, options);
  }
  async getRepository(repository: string): Promise<RepositoryInfo> {
    return { name: repository };
  }
  async listTags(repository: string, options?: PageOptions): Promise<Page<TagInfo>> {
    this.calls.push(`listTags ${repository} ${options?.continuation ?? ''}`);
    if (this.failWith) {
      throw this.failWith;
    }
    return pageOf(this.tags.get(repository) ?? [], options);
  }
  async resolveDigest(repository: string, tagOrDigest: string): Promise<string> {
    const tag = (this.tags.get(repository) ?? []).find((t) => t.name === tagOrDigest);
    if (!tag) {
      throw new AcrStreamingError('MANIFEST_UNKNOWN', `${repository}:${tagOrDigest} not found`);
    }
    return tag.digest;
  }
  async getManifest(_repository: string, tagOrDigest: string): Promise<ManifestSummary> {
    return { digest: tagOrDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
  }
  async deleteTag(repository: string, tag: string): Promise<void> {
    this.calls.push(`deleteTag ${repository} ${tag}`);
    this.tags.set(repository, (this.tags.get(repository) ?? []).filter((t) => t.name !== tag));
  }
  async deleteManifest(repository: string, digest: string): Promise<void> {
    this.calls.push(`deleteManifest ${repository} ${digest}`);
    this.tags.set(repository, (this.tags.get(repository) ?? []).filter((t) => t.digest !== digest));
  }
}

export class FakeStreaming implements StreamingApi {
  readonly loginServer: string;
  states = new Map<string, boolean>();
  referrers = new Map<string, Descriptor[]>();
  calls: string[] = [];
  cancelReply?: StreamingOperation;

  constructor(loginServer = 'reg.example.io') {
    this.loginServer = loginServer;
  }

  async getRepositoryState(repository: string): Promise<RepositoryStreamingState> {
    this.calls.push(`getRepositoryState ${repository}`);
    return { repository, convertPushedImages: this.states.get(repository) ?? false };
  }
  async setAutoConversion(repository: string, enabled: boolean): Promise<RepositoryStreamingState> {
    this.states.set(repository, enabled);
    return { repository, convertPushedImages: enabled };
  }
  async startConversion(repository: string, digest: string): Promise<StreamingOperation> {
    return { id: 'op-1', repository, digest, status: 'NotStarted', progress: 0 };
  }
  async getLastOperation(): Promise<StreamingOperation | undefined> {
    return undefined;
  }
  async getOperation(repository: string, operationId: string): Promise<StreamingOperation> {
    return { id: operationId, repository, status: 'Running', progress: 10 };
  }
  async cancelOperation(repository: string, operationId: string, _options?: RequestOptions): Promise<StreamingOperation> {
    this.calls.push(`cancelOperation ${repository} ${operationId}`);
    return this.cancelReply ?? { id: '', repository, status: 'Canceled', progress: 0, name: 'Cancel: ArtifactStreamingConversion' };
  }
  async listReferrers(repository: string, digest: string): Promise<Descriptor[]> {
    this.calls.push(`listReferrers ${repository} ${digest}`);
    return this.referrers.get(digest) ?? [];
  }
}

export const notConverted: BadgeState = { kind: 'not-converted' };

export function runningOperation(progress: number, digest = DIGEST_A): StreamingOperation {
  return { id: 'op-1', repository: 'app', digest, status: 'Running', progress };
}

/** Lets queued promise callbacks run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
