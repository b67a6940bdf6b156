/**
 * Which credentials a command signs in with. The choice is made from the options and the
 * environment alone, before anything is sent, so a bad combination is an input error (exit 2).
 *
 * `--auth auto` (the default) never probes the network: it picks basic when a username is
 * given, Microsoft Entra when the environment shows an Azure identity (AZURE_* variables, a
 * managed identity endpoint, or `az`/`azd` on PATH), and anonymous otherwise. Probing
 * DefaultAzureCredential instead would cost seconds on every run and, with nothing configured,
 * send a managed-identity request off this machine.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryCredentials } from '../core/auth/credentials';
import { AcrStreamingError, InvalidInputError } from '../core/errors';
import type { Environment } from './cliDeps';
import { quoteInput } from '../core/quoteInput';

export const AUTH_MODES = ['auto', 'anonymous', 'basic', 'entra'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const USERNAME_ENV = 'ACR_STREAMING_USERNAME';
export const PASSWORD_ENV = 'ACR_STREAMING_PASSWORD';

/** Variables DefaultAzureCredential reads (environment, workload and managed identity). */
const ENTRA_ENV_SIGNALS = [
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_USERNAME',
  'AZURE_TOKEN_CREDENTIALS',
  'IDENTITY_ENDPOINT',
  'MSI_ENDPOINT',
] as const;
/** Developer tools DefaultAzureCredential signs in through. */
const ENTRA_COMMAND_SIGNALS = ['az', 'azd'] as const;

export interface CredentialOptions {
  auth?: string;
  username?: string;
  password?: string;
}

export type CredentialChoice =
  | { kind: 'anonymous'; reason: string }
  | { kind: 'basic'; username: string; password: string; reason: string }
  | { kind: 'entra'; tenantId?: string; reason: string };

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function parseAuthMode(value: string | undefined): AuthMode {
  const mode = (value ?? 'auto').trim().toLowerCase();
  if (!(AUTH_MODES as readonly string[]).includes(mode)) {
    throw new InvalidInputError('auth', `${quoteInput(value)} is not an authentication mode.`, `Use one of: ${AUTH_MODES.join(', ')}.`);
  }
  return mode as AuthMode;
}

/** What in the environment suggests an Azure sign-in, for `--auth auto` and for messages. */
export function entraSignals(env: Environment, commandOnPath: (name: string) => boolean): string[] {
  const found: string[] = ENTRA_ENV_SIGNALS.filter((name) => present(env[name]) !== undefined);
  for (const command of ENTRA_COMMAND_SIGNALS) {
    if (commandOnPath(command)) {
      found.push(`${command} on PATH`);
    }
  }
  return found;
}

export function chooseCredentials(options: CredentialOptions, env: Environment, commandOnPath: (name: string) => boolean): CredentialChoice {
  const mode = parseAuthMode(options.auth);
  const flagUser = present(options.username);
  const flagPassword = options.password === undefined ? undefined : options.password;
  if (options.username !== undefined && flagUser === undefined) {
    throw new InvalidInputError('username', 'The username is empty.');
  }
  if (flagPassword === '') {
    throw new InvalidInputError('password', 'The password is empty.', `Give it with --password or in ${PASSWORD_ENV}.`);
  }

  if (mode === 'anonymous' || mode === 'entra') {
    if (flagUser !== undefined || flagPassword !== undefined) {
      throw new InvalidInputError('auth', `--username and --password cannot be used with --auth ${mode}.`, 'Use --auth basic (or leave --auth out) to sign in with a username and password.');
    }
    if (mode === 'anonymous') {
      return { kind: 'anonymous', reason: '--auth anonymous' };
    }
    return { kind: 'entra', tenantId: present(env.AZURE_TENANT_ID), reason: '--auth entra' };
  }

  const username = flagUser ?? present(env[USERNAME_ENV]);
  const password = flagPassword ?? present(env[PASSWORD_ENV]);
  if (username === undefined) {
    if (flagPassword !== undefined) {
      throw new InvalidInputError('username', '--password was given without a username.', `Give --username too (or set ${USERNAME_ENV}).`);
    }
    if (mode === 'basic') {
      throw new InvalidInputError('username', 'A username is needed with --auth basic.', `Give --username and --password, or set ${USERNAME_ENV} and ${PASSWORD_ENV}.`);
    }
  } else {
    if (password === undefined) {
      throw new InvalidInputError('password', `No password was given for user "${username}".`, `Give --password, or set ${PASSWORD_ENV} (which keeps it out of the process list).`);
    }
    const source = flagUser !== undefined ? '--username' : USERNAME_ENV;
    return { kind: 'basic', username, password, reason: mode === 'basic' ? '--auth basic' : `a username was given (${source})` };
  }

  const signals = entraSignals(env, commandOnPath);
  if (signals.length > 0) {
    return { kind: 'entra', tenantId: present(env.AZURE_TENANT_ID), reason: `an Azure sign-in may exist (${signals.join(', ')})` };
  }
  return { kind: 'anonymous', reason: 'no username and no Azure sign-in was found' };
}

/** The core's credentials for a choice; loads the Entra credential only when it is needed. */
export async function toRegistryCredentials(
  choice: CredentialChoice,
  loadEntraCredential: (env: Environment) => Promise<TokenCredential>,
  env: Environment,
): Promise<RegistryCredentials> {
  switch (choice.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'basic':
      return { kind: 'basic', username: choice.username, password: choice.password };
    case 'entra':
      return { kind: 'entra', credential: await loadEntraCredential(env), tenantId: choice.tenantId };
  }
}

/** What to do when the registry refused these credentials, from the CLI's point of view. */
export function authHint(choice: CredentialChoice): string {
  switch (choice.kind) {
    case 'anonymous':
      return `Signed in anonymously (${choice.reason}). Give --username and --password (or set ${USERNAME_ENV} and ${PASSWORD_ENV}), or sign in with "az login" and use --auth entra.`;
    case 'basic':
      return 'Check the username and password (the admin user, or a repository-scoped token and its password).';
    case 'entra':
      return `Signed in with Microsoft Entra (${choice.reason}). Run "az login" or set the AZURE_* variables of a service principal; or give --username and --password; or use --auth anonymous for a registry that allows anonymous pull.`;
  }
}

/** The real Entra credential. `@azure/identity` is large: it is loaded here, on first use only. */
export async function loadDefaultAzureCredential(env: Environment): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const tenantId = present(env.AZURE_TENANT_ID);
  try {
    return new DefaultAzureCredential(tenantId ? { tenantId } : {});
  } catch (error) {
    // e.g. a bad AZURE_TOKEN_CREDENTIALS value: a sign-in problem, not a network one.
    throw new AcrStreamingError('UNAUTHORIZED', `Microsoft Entra sign-in could not be set up: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'Check the AZURE_* environment variables, or sign in another way (--username/--password).',
      cause: error,
    });
  }
}
