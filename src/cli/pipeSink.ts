/**
 * stdout and stderr of the real process. A reader that stops early (`acr-streaming … | head -5`)
 * closes the pipe; the next write fails with EPIPE, which Node reports as an unhandled 'error'
 * event and a stack trace. Here it only ends the output: the command finishes and exits with
 * its own code, quietly, as Unix tools do.
 */
import type { TextSink } from './cliDeps';

/** The part of process.stdout/stderr used here. */
export interface ProcessStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const READER_GONE: ReadonlySet<string | undefined> = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export function pipeSink(stream: ProcessStream): TextSink {
  let closed = false;
  stream.on('error', (error) => {
    if (!READER_GONE.has(error.code)) {
      throw error;
    }
    closed = true;
  });
  return {
    write: (text) => {
      if (!closed) {
        stream.write(text);
      }
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
