/**
 * One emulator for every row of the fault matrix: started once (the runner warms it up before
 * the first row, so a row's bound measures the fault, not the emulator's start), faults cleared
 * after each row, stopped after the last. Rows get it with `await matrixEmulator()`.
 */
import type { FaultRule } from '../../../../emulator';
import { startTestEmulator } from '../../emulator/support/emulatorFixture';

export type MatrixEmulator = Awaited<ReturnType<typeof startTestEmulator>>;

let started: Promise<MatrixEmulator> | undefined;

export function matrixEmulator(): Promise<MatrixEmulator> {
  // Conversions run unthrottled unless a row slows them down.
  started ??= startTestEmulator({ conversionBytesPerSecond: 0 });
  return started;
}

/** Clears what a row left behind (faults, a conversion speed), if the emulator was started. */
export async function resetMatrixEmulator(): Promise<void> {
  if (started) {
    const emulator = await started;
    emulator.clearFaults();
    emulator.setConversionSpeed(0);
  }
}

export async function stopMatrixEmulator(): Promise<void> {
  const pending = started;
  started = undefined;
  await (await pending)?.stop();
}

/** Many hits: a rule that counts requests must never run out. */
const COUNTING_TIMES = 1_000_000;

/**
 * A rule that changes nothing and counts the requests matching `match` (a regular expression
 * on `METHOD /path?query`): what reached the emulator, retries included. Read it with `hits`.
 */
export function countRequests(match: string): FaultRule {
  return { match, kind: 'latency', latencyMs: 0, times: COUNTING_TIMES };
}

/** How many requests each active rule has hit, in the order the rules were set. */
export async function hits(emulator: MatrixEmulator): Promise<number[]> {
  const reply = await fetch(`${emulator.url}/_emulator/faults`);
  const { rules } = (await reply.json()) as { rules: Array<FaultRule & { remaining: number | null }> };
  return rules.map((rule) => (rule.times === undefined || rule.remaining === null ? Number.NaN : rule.times - rule.remaining));
}
