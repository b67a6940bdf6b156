/** The CLI's exit codes, and the one place that maps an error to one. */
import { CommanderError } from 'commander';
import { isAcrStreamingError } from '../core/errors';

export const ExitCode = {
  Success: 0,
  /** The registry refused or failed, or a conversion ended Failed/Canceled. */
  Failure: 1,
  /** Bad input: nothing was sent to the registry. */
  InvalidInput: 2,
  /** Stopped by Ctrl+C (128 + SIGINT), as shells expect. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; unknown options, missing values, bad choices and a missing
    // command are usage errors.
    return error.exitCode === 0 ? ExitCode.Success : ExitCode.InvalidInput;
  }
  if (isAcrStreamingError(error)) {
    if (error.code === 'INVALID_INPUT') {
      return ExitCode.InvalidInput;
    }
    if (error.code === 'CANCELLED') {
      return ExitCode.Interrupted;
    }
  }
  return ExitCode.Failure;
}
