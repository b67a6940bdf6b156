/**
 * The narrow interfaces the rest of the project consumes. `RegistryClient` and
 * `StreamingClient` implement them over HTTP; the tracker, the badge logic, the CLI and the
 * extension depend only on these, so each can be exercised on its own.
 */
import type {
  Descriptor,
  ManifestSummary,
  Page,
  PageOptions,
  RepositoryInfo,
  RepositoryStreamingState,
  StreamingOperation,
  TagInfo,
} from './models';

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface RegistryApi {
  readonly loginServer: string;
  listRepositories(options?: PageOptions): Promise<Page<string>>;
  getRepository(repository: string, options?: RequestOptions): Promise<RepositoryInfo>;
  /** Tags, newest first. */
  listTags(repository: string, options?: PageOptions): Promise<Page<TagInfo>>;
  /** Resolves a tag (or checks a digest) to the manifest's digest. */
  resolveDigest(repository: string, tagOrDigest: string, options?: RequestOptions): Promise<string>;
  /** The manifest with what badges need; for an image manifest, `platform` comes from its config. */
  getManifest(repository: string, tagOrDigest: string, options?: RequestOptions): Promise<ManifestSummary>;
  /** Removes one tag; the manifest stays (and keeps its other tags and streaming artifacts). */
  deleteTag(repository: string, tag: string, options?: RequestOptions): Promise<void>;
  /** Deletes a manifest by digest: every tag pointing at it goes, and ACR deletes its streaming artifacts with it. */
  deleteManifest(repository: string, digest: string, options?: RequestOptions): Promise<void>;
}

export interface StreamingApi {
  readonly loginServer: string;
  getRepositoryState(repository: string, options?: RequestOptions): Promise<RepositoryStreamingState>;
  setAutoConversion(repository: string, enabled: boolean, options?: RequestOptions): Promise<RepositoryStreamingState>;
  /** Starts a conversion. Never retried blindly: see `createStreamingArtifact` for the safe path. */
  startConversion(repository: string, digest: string, options?: RequestOptions): Promise<StreamingOperation>;
  /** The last conversion operation of an image, or undefined when it never had one. */
  getLastOperation(repository: string, digest: string, options?: RequestOptions): Promise<StreamingOperation | undefined>;
  getOperation(repository: string, operationId: string, options?: RequestOptions): Promise<StreamingOperation & RetryHint>;
  cancelOperation(repository: string, operationId: string, options?: RequestOptions): Promise<StreamingOperation>;
  /** Referrers of a digest, optionally filtered by artifact type (server-side or, failing that, here). */
  listReferrers(repository: string, digest: string, options?: RequestOptions & { artifactType?: string }): Promise<Descriptor[]>;
}

/** A server's `Retry-After`, in milliseconds, carried along with a reply. */
export interface RetryHint {
  retryAfterMs?: number;
}
