/**
 * The core's logger on stderr. With `--verbose` every level is shown (requests, retries,
 * polls); otherwise only warnings and errors of the steps that ask for them. Lines are
 * redacted by the core's `redactingLogger` and again by the channel.
 */
import { redactingLogger, silentLogger, type Logger } from '../core/logger';
import type { StderrChannel } from './stderrChannel';

export function cliLogger(channel: StderrChannel, verbose: boolean): Logger {
  const at = (level: string) => (message: string) => channel.line(`${level}: ${message}`);
  const quiet = () => undefined;
  return redactingLogger({
    trace: verbose ? at('trace') : quiet,
    debug: verbose ? at('debug') : quiet,
    info: verbose ? at('info') : quiet,
    warn: at('warning'),
    error: at('error'),
  });
}

/** For steps whose warnings only matter when asked for (HTTP retries, poll failures). */
export function verboseOnly(channel: StderrChannel, verbose: boolean): Logger {
  return verbose ? cliLogger(channel, true) : silentLogger;
}
