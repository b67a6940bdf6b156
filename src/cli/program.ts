/**
 * The command line: commander definitions and the glue that runs a command. Each action
 * validates its options first (exit 2, nothing sent), then connects and runs the command.
 */
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { redactSecrets } from '../core/logger';
import type { CliDeps } from './cliDeps';
import { parseCreate, runCreate } from './commands/create';
import { parseListReferrers, runListReferrers } from './commands/listReferrers';
import { runOperationCancel } from './commands/operationCancel';
import { parseOperation, runOperationShow } from './commands/operationShow';
import { parseShow, runShow } from './commands/show';
import { parseStatus, runStatus } from './commands/status';
import { parseUpdate, runUpdate } from './commands/update';
import { AUTH_MODES, PASSWORD_ENV, USERNAME_ENV } from './credentials';
import { ExitCode, exitCodeFor } from './exitCodes';
import type { CommonInput, ValidationContext } from './options';
import { OUTPUT_FORMATS } from './output';
import { reportError } from './reportError';
import { connectSession, type Session } from './session';
import { StderrChannel } from './stderrChannel';

const REGISTRY_HELP = 'login server (myreg.azurecr.io), registry name (myreg), or URL (http://127.0.0.1:5000)';

function withCommonOptions(command: Command): Command {
  return command
    .option('-r, --registry <registry>', REGISTRY_HELP)
    .option('-n, --name <registry>', 'the same as --registry (as in az acr)')
    .addOption(new Option('--auth <mode>', 'how to sign in (default: auto)').choices(AUTH_MODES))
    .option('-u, --username <username>', `admin user or token name (or ${USERNAME_ENV})`)
    .option('-p, --password <password>', `password (prefer ${PASSWORD_ENV}: arguments are visible to other processes)`)
    .addOption(new Option('-o, --output <format>', 'output format (default: table)').choices(OUTPUT_FORMATS))
    .option('--verbose', 'log requests to stderr (secrets redacted)');
}

const AUTH_HELP = `
Sign-in (--auth):
  auto       basic when a username is given; else Microsoft Entra when AZURE_* variables,
             a managed identity or az/azd on PATH are found; else anonymous (default)
  basic      --username/--password, or ${USERNAME_ENV}/${PASSWORD_ENV}
  entra      DefaultAzureCredential (az login, azd, AZURE_* service principal, managed identity)
  anonymous  no credentials (registries that allow anonymous pull)

Exit codes: 0 success; 1 failure (registry error, conversion Failed or Canceled);
2 invalid input (nothing was sent to the registry).`;

type Parse<R, I> = (raw: R, context: ValidationContext) => I;
type Run<I> = (input: I, session: Session) => Promise<ExitCode>;

export function buildProgram(deps: CliDeps, setExitCode: (code: ExitCode) => void): Command {
  const context: ValidationContext = { env: deps.env, commandOnPath: (name) => deps.commandOnPath(name) };

  /** Validate, then connect and run; every error becomes one report and one exit code. */
  const action =
    <R, I extends { common: CommonInput }>(parse: Parse<R, I>, run: Run<I>) =>
    async (raw: R): Promise<void> => {
      const channel = new StderrChannel(deps.stderr);
      let input: I;
      try {
        input = parse(raw, context);
      } catch (error) {
        setExitCode(reportError(channel, error));
        return;
      }
      try {
        const session = await connectSession(input.common, deps, channel);
        setExitCode(await run(input, session));
      } catch (error) {
        setExitCode(reportError(channel, error, input.common.credentials));
      }
    };

  const program = new Command('acr-streaming')
    .description('Azure Container Registry artifact streaming: convert images, follow conversions, turn auto-conversion on or off.')
    .version(version, '--version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => deps.stdout.write(text), writeErr: (text) => deps.stderr.write(redactSecrets(text)) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', AUTH_HELP);

  withCommonOptions(
    program
      .command('create')
      .description('create the streaming artifact of an image and wait for the conversion to end')
      .option('-t, --image <image>', 'repo:tag or repo@digest (the registry may lead: myreg.azurecr.io/repo:tag)')
      .option('--no-wait', 'return once the conversion has started')
      .option('--timeout <seconds>', 'stop waiting after this long (the conversion goes on)'),
  )
    .addHelpText('after', '\nExamples:\n  acr-streaming create -r myreg -t samples/hello:1.0\n  acr-streaming create -r myreg -t samples/hello:1.0 --no-wait -o json')
    .action(action(parseCreate, runCreate));

  withCommonOptions(
    program
      .command('update')
      .description('turn auto-conversion of new pushes on or off for a repository')
      .option('--repository <repository>', 'repository, e.g. samples/hello')
      .option('--enable-streaming <boolean>', 'true or false'),
  )
    .addHelpText('after', '\nExample:\n  acr-streaming update -r myreg --repository samples/hello --enable-streaming true')
    .action(action(parseUpdate, runUpdate));

  withCommonOptions(
    program
      .command('show')
      .description("show a repository's artifact-streaming state (Active: new pushes are converted)")
      .option('--repository <repository>', 'repository, e.g. samples/hello'),
  ).action(action(parseShow, runShow));

  const operation = program.command('operation').description('show or cancel a conversion operation');
  const operationOptions = (command: Command) =>
    withCommonOptions(
      command
        .option('-t, --image <image>', 'the last operation of this image (repo:tag or repo@digest)')
        .option('--repository <repository>', 'with --id: the repository of the operation')
        .option('--id <id>', 'with --repository: the operation id'),
    );
  operationOptions(operation.command('show').description('show a conversion operation'))
    .addHelpText('after', '\nExamples:\n  acr-streaming operation show -r myreg -t samples/hello:1.0\n  acr-streaming operation show -r myreg --repository samples/hello --id 7dfcc117-d980-4c19-8817-3171e14186ca')
    .action(action(parseOperation, runOperationShow));
  operationOptions(operation.command('cancel').description('cancel a conversion operation that has not ended'))
    .action(action(parseOperation, runOperationCancel));

  withCommonOptions(
    program
      .command('list-referrers')
      .description('list the OCI referrers of an image (streaming artifacts, signatures, SBOMs)')
      .option('-t, --image <image>', 'repo:tag or repo@digest')
      .option('--artifact-type <type>', 'only this artifact type ("streaming" for application/vnd.azure.artifact.streaming.v1)'),
  ).action(action(parseListReferrers, runListReferrers));

  withCommonOptions(
    program
      .command('status')
      .description("show an image's streaming state and why: streamed, converting, failed, not converted or not convertible")
      .option('-t, --image <image>', 'repo:tag or repo@digest'),
  ).action(action(parseStatus, runStatus));

  return program;
}

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Success;
  const program = buildProgram(deps, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      return reportError(new StderrChannel(deps.stderr), error);
    }
    return exitCodeFor(error);
  }
  return exitCode;
}
