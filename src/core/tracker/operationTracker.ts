/**
 * The operation tracker: the one owner of conversion operations in flight. Views subscribe to
 * its events instead of polling on their own. One timer serves every operation: each has a
 * next-due time, and the timer is armed for the earliest.
 *
 * Polling rules:
 * - first poll `initialDelayMs` after tracking; each poll without news grows the delay by
 *   `factor` up to `maxDelayMs`; news (status or progress moved) resets it to `initialDelayMs`;
 * - a server's Retry-After (on a reply, or on an error) is a lower bound for the next delay;
 * - at most `maxConcurrentPolls` polls in flight; the rest wait their turn, oldest due first;
 * - finished operations (Succeeded/Failed/Canceled) are not polled again and emit 'finished'
 *   exactly once;
 * - a failed poll never drops an operation: it records `lastError` and backs off. Faults
 *   (timeouts, 5xx, dropped connections) never end the polling;
 * - an operation the server says it does not know (NOT_FOUND / OPERATION_UNKNOWN) is polled at
 *   `maxDelayMs` for `unknownAfterMs` (ACR answers so for a while around restarts and
 *   replication); still unknown after that, it becomes `Unknown`: kept (the user's handle on
 *   it), no longer polled nor running. `pollNow` looks again (a reply revives it); `untrack()`
 *   lets go of it.
 */
import type { StreamingApi } from '../api';
import { AcrStreamingError, InvalidInputError, toAcrStreamingError } from '../errors';
import { silentLogger } from '../logger';
import type { Logger } from '../logger';
import { isOngoing, OPERATION_STATUSES } from '../models';
import type { StreamingOperation } from '../models';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { grow, resolvePollPolicy } from './pollPolicy';
import type { PollPolicy } from './pollPolicy';
import { copyOperation, isFinished, operationKey, trackedOperationSchema, trackerSnapshotSchema } from './trackedOperation';
import type { TrackedOperation, TrackerEvent, TrackerEventType, TrackerSnapshot } from './trackedOperation';

export interface OperationTrackerOptions {
  resolveStreaming: (loginServer: string) => StreamingApi | Promise<StreamingApi>;
  policy?: Partial<PollPolicy>;
  clock?: Clock;
  logger?: Logger;
}

export interface TrackMeta {
  image?: string;
  digest?: string;
}

export interface Disposable {
  dispose(): void;
}

interface Entry {
  operation: TrackedOperation;
  /** The current step of the backoff. */
  delayMs: number;
  /** When the next poll is due; unset while polling and once finished. */
  dueAt?: number;
  /** When a finished operation is dropped (policy.forgetFinishedAfterMs). */
  forgetAt?: number;
  polling: boolean;
  /** `pollNow` callers waiting for this entry's next poll to end. */
  waiting: Array<() => void>;
  /** When the server first answered "not found" since the last successful poll. */
  notFoundSince?: number;
}

// setTimeout's upper bound; a longer wait is armed in steps.
const MAX_TIMER_MS = 2_147_483_647;
const UNKNOWN_OPERATION_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'OPERATION_UNKNOWN']);

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0;
}

/** Drops keys whose value is undefined, so snapshots and comparisons see only what is known. */
function compact<T extends object>(value: T): T {
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (record[key] === undefined) {
      delete record[key];
    }
  }
  return value;
}

function sameOperation(a: TrackedOperation, b: TrackedOperation): boolean {
  return (
    a.status === b.status &&
    a.progress === b.progress &&
    a.startTime === b.startTime &&
    a.details === b.details &&
    a.errorCode === b.errorCode &&
    a.digest === b.digest &&
    a.image === b.image &&
    a.lastError?.code === b.lastError?.code &&
    a.lastError?.message === b.lastError?.message
  );
}

function retryAfter(ms: number | undefined): number {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

export class OperationTracker implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: TrackerEvent) => void>();
  private readonly policy: PollPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly resolveStreaming: OperationTrackerOptions['resolveStreaming'];
  private timer: unknown;
  private timerDueAt: number | undefined;
  private inFlight = 0;
  private disposed = false;

  constructor(options: OperationTrackerOptions) {
    this.policy = resolvePollPolicy(options.policy);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.resolveStreaming = options.resolveStreaming;
  }

  /** Starts (or keeps) tracking an operation. Tracking the same operation again keeps one entry. */
  track(loginServer: string, operation: StreamingOperation, meta: TrackMeta = {}): TrackedOperation {
    this.throwIfDisposed();
    if (!loginServer || !operation.repository || !operation.id) {
      throw new InvalidInputError('operation', 'An operation needs a login server, a repository and an id to be tracked.');
    }
    if (!OPERATION_STATUSES.includes(operation.status)) {
      throw new InvalidInputError('operation', `"${String(operation.status)}" is not an operation status.`);
    }
    const key = operationKey(loginServer, operation.repository, operation.id);
    const existing = this.entries.get(key);
    if (existing) {
      this.merge(existing, operation, meta);
      return copyOperation(existing.operation);
    }
    const now = this.clock.now();
    const entry: Entry = {
      operation: compact({
        key,
        loginServer,
        repository: operation.repository,
        operationId: operation.id,
        digest: meta.digest ?? operation.digest,
        image: meta.image,
        status: operation.status,
        progress: clampProgress(operation.progress),
        startTime: operation.startTime,
        details: operation.details,
        errorCode: operation.errorCode,
        trackedAt: now,
        updatedAt: now,
      }),
      delayMs: this.policy.initialDelayMs,
      polling: false,
      waiting: [],
    };
    this.schedule(entry, now, this.policy.initialDelayMs);
    this.entries.set(key, entry);
    this.emit('added', entry);
    this.arm();
    return copyOperation(entry.operation);
  }

  untrack(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) {
      return;
    }
    this.remove(entry);
    this.arm();
  }

  get(key: string): TrackedOperation | undefined {
    const entry = this.entries.get(key);
    return entry ? copyOperation(entry.operation) : undefined;
  }

  /** Every tracked operation, oldest first. */
  list(): TrackedOperation[] {
    return [...this.entries.values()].map((entry) => copyOperation(entry.operation));
  }

  /** Operations still going on (NotStarted or Running): not finished, not unknown. */
  running(): TrackedOperation[] {
    return this.list().filter((operation) => isOngoing(operation.status));
  }

  onEvent(listener: (event: TrackerEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  snapshot(): TrackerSnapshot {
    return { version: 1, operations: this.list() };
  }

  /**
   * Brings back a snapshot (from workspace or global state). Malformed entries are skipped;
   * operations already tracked keep their live state. Unfinished ones are polled at once:
   * their saved status is stale.
   */
  restore(snapshot: unknown): void {
    this.throwIfDisposed();
    const parsed = trackerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      this.logger.warn('Ignored the saved operations: they are not a version 1 tracker snapshot.');
      return;
    }
    const now = this.clock.now();
    let skipped = 0;
    for (const raw of parsed.data.operations) {
      const item = trackedOperationSchema.safeParse(raw);
      if (!item.success) {
        skipped += 1;
        continue;
      }
      // The key is derived, never trusted from storage.
      const key = operationKey(item.data.loginServer, item.data.repository, item.data.operationId);
      if (this.entries.has(key)) {
        continue;
      }
      const entry: Entry = { operation: compact({ key, ...item.data }), delayMs: this.policy.initialDelayMs, polling: false, waiting: [] };
      this.schedule(entry, now, 0);
      this.entries.set(key, entry);
      this.emit('added', entry);
    }
    if (skipped > 0) {
      this.logger.warn(`Ignored ${skipped} malformed saved operation(s).`);
    }
    this.arm();
  }

  /**
   * Polls now: one operation, or every unfinished one (unknown ones too: this is how a user
   * looks again). Resolves when those polls are over (a poll already in flight counts). Still
   * bound by maxConcurrentPolls.
   */
  async pollNow(key?: string): Promise<void> {
    if (this.disposed) {
      return;
    }
    const targets = key === undefined ? [...this.entries.values()] : [this.entries.get(key)].filter((e): e is Entry => e !== undefined);
    const now = this.clock.now();
    const done: Array<Promise<void>> = [];
    for (const entry of targets) {
      if (entry.polling) {
        done.push(this.nextPollEnd(entry));
      } else if (!isFinished(entry.operation.status)) {
        entry.dueAt = now;
        done.push(this.nextPollEnd(entry));
      }
    }
    this.dispatch();
    await Promise.all(done);
  }

  /** Stops the timer; no poll starts after this and no event is emitted. Entries stay readable. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.clearTimer();
    for (const entry of this.entries.values()) {
      this.release(entry);
    }
    this.listeners.clear();
  }

  // --- scheduling -------------------------------------------------------------------------

  private schedule(entry: Entry, now: number, delayMs: number): void {
    if (isFinished(entry.operation.status)) {
      entry.dueAt = undefined;
      const forget = this.policy.forgetFinishedAfterMs;
      entry.forgetAt = forget === undefined ? undefined : entry.operation.updatedAt + forget;
    } else if (!isOngoing(entry.operation.status)) {
      // Unknown: polled only when someone looks again.
      entry.dueAt = undefined;
      entry.forgetAt = undefined;
    } else {
      entry.dueAt = now + Math.round(delayMs);
    }
  }

  /** Arms the one timer for the earliest thing due, or leaves it when it already is. */
  private arm(): void {
    if (this.disposed) {
      return;
    }
    const canPoll = this.inFlight < this.policy.maxConcurrentPolls;
    let earliest = Infinity;
    for (const entry of this.entries.values()) {
      if (canPoll && !entry.polling && entry.dueAt !== undefined) {
        earliest = Math.min(earliest, entry.dueAt);
      }
      if (entry.forgetAt !== undefined) {
        earliest = Math.min(earliest, entry.forgetAt);
      }
    }
    if (this.timer !== undefined && this.timerDueAt === earliest) {
      return;
    }
    this.clearTimer();
    if (earliest === Infinity) {
      return;
    }
    const delay = Math.min(Math.max(0, earliest - this.clock.now()), MAX_TIMER_MS);
    this.timerDueAt = earliest;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = undefined;
      this.dispatch();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDueAt = undefined;
    }
  }

  /** Drops what is to be forgotten, starts what is due (oldest first, within the bound), re-arms. */
  private dispatch(): void {
    if (this.disposed) {
      return;
    }
    const now = this.clock.now();
    for (const entry of [...this.entries.values()]) {
      if (entry.forgetAt !== undefined && entry.forgetAt <= now) {
        this.remove(entry);
      }
    }
    const due = [...this.entries.values()]
      .filter((entry) => !entry.polling && entry.dueAt !== undefined && entry.dueAt <= now)
      .sort((a, b) => (a.dueAt as number) - (b.dueAt as number));
    for (const entry of due) {
      if (this.inFlight >= this.policy.maxConcurrentPolls) {
        break;
      }
      entry.polling = true;
      entry.dueAt = undefined;
      this.inFlight += 1;
      // Don't wait: the poll re-arms the timer when it ends.
      void this.poll(entry);
    }
    this.arm();
  }

  // --- polling ----------------------------------------------------------------------------

  private async poll(entry: Entry): Promise<void> {
    const { loginServer, repository, operationId } = entry.operation;
    try {
      const streaming = await this.resolveStreaming(loginServer);
      const reply = await streaming.getOperation(repository, operationId);
      if (this.isLive(entry)) {
        this.applyReply(entry, reply);
      }
    } catch (error) {
      if (this.isLive(entry)) {
        this.applyError(entry, error);
      }
    } finally {
      this.inFlight -= 1;
      entry.polling = false;
      this.release(entry);
      // A slot is free: start whatever is overdue now rather than through a zero-delay timer.
      this.dispatch();
    }
  }

  private applyReply(entry: Entry, reply: StreamingOperation & { retryAfterMs?: number }): void {
    if (!reply || !OPERATION_STATUSES.includes(reply.status) || typeof reply.progress !== 'number') {
      throw new AcrStreamingError('INVALID_RESPONSE', 'The registry answered the operation poll with something that is not an operation.');
    }
    const current = entry.operation;
    const progress = clampProgress(reply.progress);
    const news = reply.status !== current.status || progress !== current.progress;
    const next: TrackedOperation = compact({
      ...current,
      status: reply.status,
      progress,
      startTime: reply.startTime ?? current.startTime,
      details: reply.details ?? current.details,
      errorCode: reply.errorCode ?? current.errorCode,
      digest: current.digest ?? reply.digest,
      lastError: undefined,
    });
    const now = this.clock.now();
    entry.delayMs = news ? this.policy.initialDelayMs : grow(entry.delayMs, this.policy);
    entry.notFoundSince = undefined;
    this.commit(entry, next, now);
    if (!isFinished(next.status)) {
      entry.dueAt = now + Math.round(Math.max(entry.delayMs, retryAfter(reply.retryAfterMs)));
    }
  }

  private applyError(entry: Entry, thrown: unknown): void {
    const error = toAcrStreamingError(thrown);
    const unknown = UNKNOWN_OPERATION_CODES.has(error.code);
    const now = this.clock.now();
    const lastError = compact({ code: error.code, message: error.message, retryAfterMs: error.retryAfterMs });
    const current = entry.operation;
    const label = `${current.repository} operation ${current.operationId}`;
    if (unknown) {
      entry.notFoundSince ??= now;
    }
    if (current.status === 'Unknown' || (unknown && now - (entry.notFoundSince as number) >= this.policy.unknownAfterMs)) {
      // Looked again and still not there (or a fault on the way): it stays unknown, unpolled.
      if (current.status !== 'Unknown') {
        this.logger.warn(`${label} is unknown to the registry (${error.code}) after ${Math.round((now - (entry.notFoundSince as number)) / 1000)} s; no longer polling it.`);
      }
      entry.dueAt = undefined;
      this.commit(entry, { ...current, status: 'Unknown', lastError }, now);
      return;
    }
    entry.delayMs = unknown ? this.policy.maxDelayMs : grow(entry.delayMs, this.policy);
    entry.dueAt = now + Math.round(Math.max(entry.delayMs, retryAfter(error.retryAfterMs)));
    if (current.lastError?.code !== lastError.code || current.lastError.message !== lastError.message) {
      this.logger.warn(`Polling ${label} failed (${error.code}): ${error.message} Retrying in ${Math.round((entry.dueAt - now) / 1000)} s.`);
    } else {
      this.logger.debug(`Polling ${label} failed again (${error.code}).`);
    }
    this.commit(entry, { ...current, lastError }, now);
  }

  /** Stores `next` and emits one event when something changed. */
  private commit(entry: Entry, next: TrackedOperation, now: number): void {
    const previous = entry.operation;
    if (sameOperation(previous, next)) {
      return;
    }
    entry.operation = { ...next, updatedAt: now };
    if (previous.status === 'Unknown' && isOngoing(next.status) && entry.dueAt === undefined && !entry.polling) {
      // Revived by a fresh track(): poll it again.
      this.schedule(entry, now, this.policy.initialDelayMs);
    }
    if (!isFinished(previous.status) && isFinished(next.status)) {
      this.schedule(entry, now, 0);
      this.logger.info(`${next.repository} operation ${next.operationId} finished: ${next.status}.`);
      this.emit('finished', entry);
    } else {
      this.emit('updated', entry);
    }
  }

  /** Tracking an operation already tracked: take what is new, but never reopen a finished one. */
  private merge(entry: Entry, operation: StreamingOperation, meta: TrackMeta): void {
    const current = entry.operation;
    const next: TrackedOperation = compact({
      ...current,
      image: meta.image ?? current.image,
      digest: current.digest ?? meta.digest ?? operation.digest,
    });
    if (!isFinished(current.status)) {
      const progress = clampProgress(operation.progress);
      if (operation.status !== current.status || progress !== current.progress) {
        entry.delayMs = this.policy.initialDelayMs;
      }
      Object.assign(
        next,
        compact({
          status: operation.status,
          progress,
          startTime: operation.startTime ?? current.startTime,
          details: operation.details ?? current.details,
          errorCode: operation.errorCode ?? current.errorCode,
        }),
      );
    }
    this.commit(entry, next, this.clock.now());
    this.arm();
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.operation.key);
    this.release(entry);
    this.emit('removed', entry);
  }

  private isLive(entry: Entry): boolean {
    return !this.disposed && this.entries.get(entry.operation.key) === entry;
  }

  private nextPollEnd(entry: Entry): Promise<void> {
    return new Promise<void>((resolve) => entry.waiting.push(resolve));
  }

  private release(entry: Entry): void {
    for (const resolve of entry.waiting.splice(0)) {
      resolve();
    }
  }

  private emit(type: TrackerEventType, entry: Entry): void {
    if (this.disposed) {
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener({ type, operation: copyOperation(entry.operation) });
      } catch (error) {
        this.logger.error(`A tracker listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private throwIfDisposed(): void {
    if (this.disposed) {
      throw new AcrStreamingError('CANCELLED', 'The operation tracker has been disposed.');
    }
  }
}
