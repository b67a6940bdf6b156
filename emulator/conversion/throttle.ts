/**
 * Paces a byte stream to the conversion speed, in small pieces so progress moves smoothly, and
 * re-reads the speed while waiting so a change applies at once.
 */
import type { ConversionSpeed } from './conversionSpeed';

const MAX_SLEEP_MS = 200;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function pieceSize(rate: number, available: number): number {
  return rate > 0 ? Math.max(1024, Math.min(256 * 1024, Math.floor(rate / 20))) : available;
}

export async function* throttle(
  source: AsyncIterable<Uint8Array>,
  speed: ConversionSpeed,
  signal: AbortSignal,
  onBytes: (count: number) => void,
): AsyncGenerator<Buffer> {
  let rate = speed.get();
  let windowStart = Date.now();
  let windowBytes = 0;
  for await (const raw of source) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let offset = 0;
    while (offset < chunk.length) {
      signal.throwIfAborted();
      const piece = chunk.subarray(offset, offset + pieceSize(rate, chunk.length - offset));
      offset += piece.length;
      windowBytes += piece.length;
      for (;;) {
        const current = speed.get();
        if (current !== rate) {
          // Restart the pacing window so the new speed applies from now on.
          rate = current;
          windowStart = Date.now();
          windowBytes = piece.length;
        }
        if (rate <= 0) {
          break;
        }
        const wait = windowStart + (windowBytes / rate) * 1000 - Date.now();
        if (wait <= 0) {
          break;
        }
        await sleep(Math.min(wait, MAX_SLEEP_MS), signal);
      }
      onBytes(piece.length);
      yield piece;
    }
  }
}
