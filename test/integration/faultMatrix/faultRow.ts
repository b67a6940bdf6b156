/**
 * One row of the fault matrix: a fault a registry, a network or a user can throw at the
 * project, and the outcome it must get (recovered with the right result, or a clear error
 * within a bound). Each file in `rows/` exports `rows: FaultRow[]`; the runner picks them all up.
 */
export interface FaultRow {
  /** The fault, e.g. `Link rel="next" repeats the page just read`. */
  fault: string;
  /** The hardening issue's item it covers (1–10); 0 for a fault handled before the issue, kept as a baseline. */
  item: number;
  /** The expected outcome, e.g. `INVALID_RESPONSE naming the registry; no duplicates`. */
  expected: string;
  /** The outcome must be reached within this many milliseconds (a hang fails, it does not stall CI). */
  boundMs: number;
  /** Sets up the fault (a scripted server, an emulator fault rule, …), drives the project, asserts, cleans up. */
  run(): Promise<void>;
  /** Slow one-time preparation (a build), run once before the matrix and outside every bound. */
  prepare?(): Promise<void>;
}
