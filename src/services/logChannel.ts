/**
 * The one log: a LogOutputChannel behind the core's `Logger`, redacted once on the way in, with
 * a component tag per caller (`[Tree] …`).
 */
import { redactingLogger, type Logger } from '../core/logger';

/** The part of vscode.LogOutputChannel used here. */
export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_CHANNEL_NAME = 'ACR Artifact Streaming';

/** A redacting logger writing to `sink`, each line prefixed with `[component]` when given. */
export function createLogger(sink: LogSink, component?: string): Logger {
  const tag = component ? `[${component}] ` : '';
  return redactingLogger({
    trace: (m) => sink.trace(tag + m),
    debug: (m) => sink.debug(tag + m),
    info: (m) => sink.info(tag + m),
    warn: (m) => sink.warn(tag + m),
    error: (m) => sink.error(tag + m),
  });
}

/** Tags an existing logger's lines; the inner logger already redacts. */
export function withComponent(logger: Logger, component: string): Logger {
  const tag = `[${component}] `;
  return {
    trace: (m) => logger.trace(tag + m),
    debug: (m) => logger.debug(tag + m),
    info: (m) => logger.info(tag + m),
    warn: (m) => logger.warn(tag + m),
    error: (m) => logger.error(tag + m),
  };
}
