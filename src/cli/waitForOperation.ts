/**
 * Waits for a conversion to end, through the core's OperationTracker so the CLI polls exactly
 * as the extension does (adaptive delay, Retry-After, a grace for operations the registry says
 * it does not know). Stops on the end of the operation, on a poll error that waiting cannot
 * cure, when the operation has stayed unknown past the grace, on Ctrl+C, or on --timeout.
 */
import type { StreamingApi } from '../core/api';
import { AcrStreamingError } from '../core/errors';
import { MAX_RETRY_AFTER_MS } from '../core/http/retryPolicy';
import type { Logger } from '../core/logger';
import type { StreamingOperation } from '../core/models';
import { systemClock, type Clock } from '../core/tracker/clock';
import { OperationTracker } from '../core/tracker/operationTracker';
import type { PollPolicy } from '../core/tracker/pollPolicy';
import { hasRegistryStatus, isFinished, toStreamingOperation, type TrackedOperation } from '../core/tracker/trackedOperation';

export interface WaitOptions {
  loginServer: string;
  /** Display reference, e.g. `samples/hello:1.0`. */
  image: string;
  /** The command that shows this operation later, for the hint when waiting stops early. */
  showCommand: string;
  onUpdate(operation: TrackedOperation): void;
  logger: Logger;
  policy?: Partial<PollPolicy>;
  clock?: Clock;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A poll throttled for longer than this ends the wait (default: the transport's cap, 60 s). */
  maxRetryAfterMs?: number;
}

/** Poll failures that more polling will not cure: give up at once. */
const FATAL_POLL_CODES = new Set(['UNAUTHORIZED', 'DENIED', 'INVALID_INPUT', 'INVALID_RESPONSE']);


export function waitForOperation(streaming: StreamingApi, operation: StreamingOperation, options: WaitOptions): Promise<StreamingOperation> {
  if (isFinished(operation.status)) {
    return Promise.resolve(operation);
  }
  const clock = options.clock ?? systemClock;
  const stillRunning = (verb: string, status: string) =>
    new AcrStreamingError(verb === 'timeout' ? 'TIMEOUT' : 'CANCELLED', `Stopped waiting for operation ${operation.id} of ${options.image}${verb === 'timeout' ? ` after ${Math.round((options.timeoutMs ?? 0) / 1000)} s` : ''}; it was ${status}.`, {
      hint: `The conversion goes on in the registry. Check it with: ${options.showCommand}`,
    });

  const vanished = (tracked: TrackedOperation) =>
    new AcrStreamingError('NOT_FOUND', `Stopped waiting for operation ${operation.id} of ${options.image}: ${options.loginServer} no longer knows it (${tracked.lastError?.message ?? 'not found'}).`, {
      hint: `It may have expired, or the registry may answer again later. Look again with: ${options.showCommand}`,
    });

  return new Promise<StreamingOperation>((resolve, reject) => {
    const tracker = new OperationTracker({ resolveStreaming: () => streaming, policy: options.policy, clock, logger: options.logger });
    let latest: TrackedOperation | undefined;
    let timer: unknown;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) {
        return;
      }
      settled = true;
      subscription.dispose();
      tracker.dispose();
      options.signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) {
        clock.clearTimeout(timer);
      }
      outcome();
    };
    const onAbort = () => settle(() => reject(stillRunning('abort', latest?.status ?? operation.status)));

    const subscription = tracker.onEvent((event) => {
      latest = event.operation;
      const current = event.operation;
      if (!hasRegistryStatus(current)) {
        settle(() => reject(vanished(current)));
        return;
      }
      if (event.type === 'finished') {
        settle(() => resolve(toStreamingOperation(current)));
        return;
      }
      const failure = event.operation.lastError;
      // Throttled for longer than the transport would wait: say when to retry rather than sleep on.
      const throttledLong = failure?.code === 'TOO_MANY_REQUESTS' && (failure.retryAfterMs ?? 0) > (options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS);
      if (failure && (FATAL_POLL_CODES.has(failure.code) || throttledLong)) {
        settle(() =>
          reject(
            new AcrStreamingError(failure.code as AcrStreamingError['code'], failure.message, {
              hint: `The conversion may go on in the registry. Check it with: ${options.showCommand}`,
              retryAfterMs: failure.retryAfterMs,
            }),
          ),
        );
        return;
      }
      options.onUpdate(event.operation);
    });

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = clock.setTimeout(() => settle(() => reject(stillRunning('timeout', latest?.status ?? operation.status))), options.timeoutMs);
    }
    // Emits 'added', which reports the starting state.
    tracker.track(options.loginServer, operation, { image: options.image, digest: operation.digest });
  });
}
