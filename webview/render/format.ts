/** Text formatting for the page: durations, sizes, times, digests and status names. */
import type { TrackedStatus } from '../../src/core/models';
import type { OperationView } from '../../src/panel/protocol';

const STATUS_LABELS: Record<TrackedStatus, string> = {
  NotStarted: 'Queued',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Canceled: 'Canceled',
  Unknown: 'Unknown',
};

export function statusLabel(status: TrackedStatus): string {
  return STATUS_LABELS[status];
}

export function isOngoingStatus(status: TrackedStatus): boolean {
  return status === 'NotStarted' || status === 'Running';
}

/** `45s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (hours > 0) {
    return `${hours}h ${pad(minutes)}m`;
  }
  if (minutes > 0) {
    return `${minutes}m ${pad(seconds)}s`;
  }
  return `${seconds}s`;
}

const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `512 B`, `1.5 KiB`, `23 MiB` (one decimal below 10 units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  }
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${text} ${SIZE_UNITS[unit]}`;
}

/** A local date and time, or the text as given when it is not a timestamp. */
export function formatTime(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  return new Date(time).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** `sha256:0123456789ab…`. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  const hex = digest.slice(colon + 1);
  return hex.length > 12 ? `${digest.slice(0, colon + 1)}${hex.slice(0, 12)}…` : digest;
}

/**
 * How long an operation has run: until now while it runs, until its last update once it
 * ended. Undefined without a usable start time.
 */
export function elapsedMs(op: Pick<OperationView, 'status' | 'startTime' | 'updatedAt'>, now: number): number | undefined {
  const start = op.startTime === undefined ? Number.NaN : Date.parse(op.startTime);
  if (Number.isNaN(start)) {
    return undefined;
  }
  const end = isOngoingStatus(op.status) ? now : Date.parse(op.updatedAt);
  return Number.isNaN(end) ? undefined : Math.max(0, end - start);
}
