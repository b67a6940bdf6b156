/** How often the tracker asks about an operation. */
import { InvalidInputError } from '../errors';

export interface PollPolicy {
  /** Delay before the first poll, and the fast rate a change of progress returns to. */
  initialDelayMs: number;
  /** The slowest rate; also the rate for operations the server says it does not know. */
  maxDelayMs: number;
  /** Growth of the delay after each poll that brought no news. */
  factor: number;
  maxConcurrentPolls: number;
  /**
   * How long the registry may answer "not found" for an operation (from the first such answer,
   * with no successful poll since) before the tracker calls it `Unknown` and stops polling it.
   * ACR answers so for a while around restarts and replication, hence a grace, not the first 404.
   */
  unknownAfterMs: number;
  /** Finished operations are dropped from the tracker this long after they finished; kept when unset. */
  forgetFinishedAfterMs?: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 15_000,
  factor: 1.5,
  maxConcurrentPolls: 4,
  unknownAfterMs: 30_000,
};

function positive(name: string, value: number, integer = false): void {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError('policy', `The poll policy's ${name} must be a positive ${integer ? 'integer' : 'number'}, not ${value}.`);
  }
}

export function resolvePollPolicy(partial: Partial<PollPolicy> = {}): PollPolicy {
  const policy: PollPolicy = { ...DEFAULT_POLL_POLICY, ...partial };
  positive('initialDelayMs', policy.initialDelayMs);
  positive('maxDelayMs', policy.maxDelayMs);
  positive('maxConcurrentPolls', policy.maxConcurrentPolls, true);
  if (!Number.isFinite(policy.factor) || policy.factor < 1) {
    throw new InvalidInputError('policy', `The poll policy's factor must be at least 1, not ${policy.factor}.`);
  }
  if (policy.maxDelayMs < policy.initialDelayMs) {
    throw new InvalidInputError('policy', 'The poll policy\'s maxDelayMs must not be below its initialDelayMs.');
  }
  if (!Number.isFinite(policy.unknownAfterMs) || policy.unknownAfterMs < 0) {
    throw new InvalidInputError('policy', `The poll policy's unknownAfterMs must be zero or more, not ${policy.unknownAfterMs}.`);
  }
  if (policy.forgetFinishedAfterMs !== undefined && (!Number.isFinite(policy.forgetFinishedAfterMs) || policy.forgetFinishedAfterMs < 0)) {
    throw new InvalidInputError('policy', `The poll policy's forgetFinishedAfterMs must be zero or more, not ${policy.forgetFinishedAfterMs}.`);
  }
  return policy;
}

/** The delay after a poll that brought no news: the last one grown by `factor`, capped. */
export function grow(delayMs: number, policy: PollPolicy): number {
  return Math.min(delayMs * policy.factor, policy.maxDelayMs);
}
