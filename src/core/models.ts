/** Plain data the core hands to its callers. Nothing here holds behaviour or secrets. */

export type OperationStatus = 'NotStarted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled';

export const OPERATION_STATUSES: readonly OperationStatus[] = ['NotStarted', 'Running', 'Succeeded', 'Failed', 'Canceled'];

/**
 * What the tracker knows of an operation: the registry's status, or `Unknown` once the registry
 * has answered "not found" for it past a grace (it expired, or was never there). An unknown
 * operation is no longer polled and no longer counts as running; looking again can revive it.
 */
export type TrackedStatus = OperationStatus | 'Unknown';

export const TRACKED_STATUSES: readonly TrackedStatus[] = [...OPERATION_STATUSES, 'Unknown'];

export function isOngoing(status: TrackedStatus): boolean {
  return status === 'NotStarted' || status === 'Running';
}

/** A conversion operation, normalised from ACR's replies (which carry the id only in some of them). */
export interface StreamingOperation {
  id: string;
  repository: string;
  /** Digest of the source image (from `resource`), when known. */
  digest?: string;
  name?: string;
  status: OperationStatus;
  /** 0–100, parsed from ACR's percentage string. */
  progress: number;
  startTime?: string;
  details?: string;
  /** ACR failure code (e.g. `UNSUPPORTED_PLATFORM`) when the operation failed. */
  errorCode?: string;
}

export interface RepositoryStreamingState {
  repository: string;
  /** Active: pushes into the repository are converted automatically. */
  convertPushedImages: boolean;
  conversionFormat?: string;
  conversionVersion?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A manifest as the badge logic needs it: what it is and what it points at. */
export interface ManifestSummary {
  digest: string;
  mediaType: string;
  /** `artifactType`, or the config media type of an artifact that is not an image. */
  artifactType?: string;
  configMediaType?: string;
  /** Set on image manifests when the config says so (filled by the caller when known). */
  platform?: Platform;
  /** Entries of an index / manifest list. */
  manifests?: Descriptor[];
  /** OCI `subject`: this manifest refers to another (signatures, SBOMs, streaming artifacts). */
  subject?: Descriptor;
  annotations?: Record<string, string>;
  /** Sum of config and layer sizes (image manifests only). */
  size?: number;
}

export interface RepositoryInfo {
  name: string;
  createdTime?: string;
  lastUpdateTime?: string;
  manifestCount?: number;
  tagCount?: number;
}

export interface TagInfo {
  name: string;
  digest: string;
  createdTime?: string;
  lastUpdateTime?: string;
}

/** One page of a listing; `continuation` is opaque and resumes the listing where it stopped. */
export interface Page<T> {
  items: T[];
  continuation?: string;
}

export interface PageOptions {
  pageSize?: number;
  continuation?: string;
  signal?: AbortSignal;
}
