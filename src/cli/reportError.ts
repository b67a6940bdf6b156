/** Writes an error as `error: <message>` and `hint: <what to do>` on stderr; returns the exit code. */
import { CommanderError } from 'commander';
import { toAcrStreamingError } from '../core/errors';
import { authHint, type CredentialChoice } from './credentials';
import { exitCodeFor, type ExitCode } from './exitCodes';
import type { StderrChannel } from './stderrChannel';

const AUTH_CODES = new Set(['UNAUTHORIZED', 'DENIED']);

export function reportError(channel: StderrChannel, error: unknown, credentials?: CredentialChoice): ExitCode {
  const code = exitCodeFor(error);
  channel.endProgress();
  if (error instanceof CommanderError) {
    // Commander has already written its message (and the usage hint) through configureOutput.
    return code;
  }
  const typed = toAcrStreamingError(error);
  channel.line(`error: ${typed.message}`);
  const hints = [typed.hint];
  if (credentials && credentials.kind !== 'basic' && AUTH_CODES.has(typed.code)) {
    hints.push(authHint(credentials));
  }
  for (const hint of hints) {
    if (hint) {
      channel.line(`hint: ${hint}`);
    }
  }
  return code;
}
