/** The `acr-streaming` executable: the real process plugged into `runCli`. */
import { connect } from '../core/connect';
import { redactSecrets } from '../core/logger';
import { commandOnPath } from './commandOnPath';
import { loadDefaultAzureCredential } from './credentials';
import { ExitCode } from './exitCodes';
import { pipeSink } from './pipeSink';
import { runCli } from './program';

const interrupt = new AbortController();
// The first Ctrl+C stops waiting cleanly; a second one ends the process the default way.
process.once('SIGINT', () => interrupt.abort());

const stdout = pipeSink(process.stdout);
const stderr = pipeSink(process.stderr);

runCli(process.argv.slice(2), {
  connect,
  stdout,
  stderr,
  env: process.env,
  loadEntraCredential: loadDefaultAzureCredential,
  commandOnPath: (name) => commandOnPath(name, process.env),
  signal: interrupt.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    stderr.write(`error: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = ExitCode.Failure;
  },
);
