/** Cancellation helpers: an aborted signal always surfaces as an `AcrStreamingError` CANCELLED. */
import { AcrStreamingError } from '../errors';

export function cancelledError(): AcrStreamingError {
  return new AcrStreamingError('CANCELLED', 'The request was cancelled.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw cancelledError();
  }
}

/**
 * Waits for `promise`, but gives up (CANCELLED) as soon as `signal` aborts; the work itself goes
 * on. `onAbandon` runs when the caller gives up, so shared work can count who still waits.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbandon?: () => void): Promise<T> {
  if (!signal) {
    return promise;
  }
  if (signal.aborted) {
    // The caller gives up; keep the abandoned promise from reporting an unhandled rejection.
    promise.catch(() => undefined);
    onAbandon?.();
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(cancelledError());
      onAbandon?.();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A delay that ends early, with CANCELLED, when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
