/**
 * One command's run: the stderr channel, the logger and, once input is valid, the connection.
 * Commands call `connectSession` only after every option has been validated, so invalid input
 * never reaches the registry.
 */
import type { RegistryConnection } from '../core/connection';
import type { Logger } from '../core/logger';
import type { CliDeps } from './cliDeps';
import { cliLogger, verboseOnly } from './cliLogger';
import { toRegistryCredentials } from './credentials';
import type { CommonInput } from './options';
import { writeResult, type CommandResult } from './output';
import type { StderrChannel } from './stderrChannel';

export interface Session {
  readonly common: CommonInput;
  readonly connection: RegistryConnection;
  readonly channel: StderrChannel;
  /** Warnings always, the rest with --verbose. */
  readonly logger: Logger;
  readonly deps: CliDeps;
  readonly signal?: AbortSignal;
  print(result: CommandResult): void;
}

export async function connectSession(common: CommonInput, deps: CliDeps, channel: StderrChannel): Promise<Session> {
  if (common.credentials.kind === 'basic') {
    channel.addSecret(common.credentials.password);
  }
  const logger = cliLogger(channel, common.verbose);
  logger.debug(`Registry ${common.endpoint.baseUrl}; signing in ${describeChoice(common)}.`);
  const credentials = await toRegistryCredentials(common.credentials, (env) => deps.loadEntraCredential(env), deps.env);
  const connection = deps.connect(common.endpoint, credentials, {
    userAgent: 'acr-streaming-cli',
    ...deps.connectOptions,
    logger: verboseOnly(channel, common.verbose),
  });
  return {
    common,
    connection,
    channel,
    logger,
    deps,
    signal: deps.signal,
    print: (result) => writeResult(deps.stdout, common.output, result),
  };
}

function describeChoice(common: CommonInput): string {
  const choice = common.credentials;
  switch (choice.kind) {
    case 'anonymous':
      return `anonymously: ${choice.reason}`;
    case 'basic':
      return `as "${choice.username}": ${choice.reason}`;
    case 'entra':
      return `with Microsoft Entra: ${choice.reason}`;
  }
}
