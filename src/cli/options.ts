/**
 * Shared option parsing: raw strings from the command line in, typed and validated values out.
 * Everything here throws `InvalidInputError` (exit 2) and runs before any connection is made.
 */
import { InvalidInputError } from '../core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../core/mediaTypes';
import { parseImageReference, parseRegistry, validateRepository, type ImageReference, type RegistryEndpoint } from '../core/reference';
import { validateOperationId } from '../core/streamingClient';
import type { Environment } from './cliDeps';
import { chooseCredentials, type CredentialChoice } from './credentials';
import { parseOutputFormat, type OutputFormat } from './output';
import { quoteInput } from '../core/quoteInput';

/** Options every command takes, as commander hands them over. */
export interface CommonRaw {
  registry?: string;
  name?: string;
  output?: string;
  verbose?: boolean;
  auth?: string;
  username?: string;
  password?: string;
}

export interface CommonInput {
  endpoint: RegistryEndpoint;
  output: OutputFormat;
  verbose: boolean;
  credentials: CredentialChoice;
}

export interface ValidationContext {
  env: Environment;
  commandOnPath(name: string): boolean;
}

/**
 * The registry comes from `--registry`/`-r` or `--name`/`-n`, or else from the image reference
 * (`myreg.azurecr.io/repo:tag`); when both name one, they must agree.
 */
export function parseCommon(raw: CommonRaw, context: ValidationContext, image?: ImageReference): CommonInput {
  const output = parseOutputFormat(raw.output);
  const given = [raw.registry, raw.name].filter((value): value is string => value !== undefined);
  let endpoint: RegistryEndpoint | undefined;
  for (const value of given) {
    const parsed = parseRegistry(value);
    if (endpoint && endpoint.baseUrl !== parsed.baseUrl) {
      throw new InvalidInputError('registry', `--registry and --name name different registries (${endpoint.loginServer}, ${parsed.loginServer}).`, 'Give only one of them.');
    }
    endpoint = parsed;
  }
  if (image?.registry) {
    if (!endpoint) {
      endpoint = parseRegistry(image.registry);
    } else if (endpoint.loginServer !== image.registry.toLowerCase()) {
      throw new InvalidInputError(
        'registry',
        `The image is in ${image.registry}, but --registry is ${endpoint.loginServer}.`,
        'Drop the registry from the image reference, or make the two agree.',
      );
    }
  }
  if (!endpoint) {
    throw new InvalidInputError('registry', 'No registry was given.', 'Give --registry (-r) with a login server such as "myregistry.azurecr.io", a registry name, or a URL.');
  }
  const credentials = chooseCredentials(raw, context.env, (command) => context.commandOnPath(command));
  return { endpoint, output, verbose: raw.verbose === true, credentials };
}

export function requireImage(value: string | undefined): ImageReference {
  if (value === undefined) {
    throw new InvalidInputError('image', 'No image was given.', 'Give --image (-t), for example "samples/hello:1.0" or "samples/hello@sha256:…".');
  }
  return parseImageReference(value);
}

export function requireRepository(value: string | undefined): string {
  if (value === undefined) {
    throw new InvalidInputError('repository', 'No repository was given.', 'Give --repository, for example "samples/hello".');
  }
  return validateRepository(value);
}

/** `true`/`false` (also yes/no, on/off, 1/0), as az accepts; anything else is refused. */
export function parseBoolean(option: string, value: string | undefined): boolean {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') {
    throw new InvalidInputError(option, `--${option} needs a value: true or false.`);
  }
  if (['true', 'yes', 'on', '1'].includes(text)) {
    return true;
  }
  if (['false', 'no', 'off', '0'].includes(text)) {
    return false;
  }
  throw new InvalidInputError(option, `--${option} must be true or false, not ${quoteInput(value)}.`);
}

// RFC 6838 media type names: type/subtype, restricted characters, at most 127 each.
const MEDIA_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/** A media type; `streaming` is short for ACR's streaming artifact type. */
export function parseArtifactType(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = value.trim();
  if (text.toLowerCase() === 'streaming') {
    return STREAMING_ARTIFACT_TYPE;
  }
  if (!MEDIA_TYPE_RE.test(text)) {
    throw new InvalidInputError('artifact-type', `${quoteInput(value)} is not a media type.`, `Give one such as "${STREAMING_ARTIFACT_TYPE}" (or "streaming" for short).`);
  }
  return text;
}

/** Seconds → milliseconds; positive, at most a day. */
export function parseTimeoutSeconds(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new InvalidInputError('timeout', `--timeout must be a number of seconds between 0 and 86400, not ${quoteInput(value)}.`);
  }
  return Math.round(seconds * 1000);
}

export type OperationTarget = { kind: 'image'; image: ImageReference } | { kind: 'id'; repository: string; id: string };

/** `--image REF` or `--repository REPO --id ID`: exactly one of the two. */
export function parseOperationTarget(raw: { image?: string; repository?: string; id?: string }): OperationTarget {
  if (raw.image !== undefined) {
    if (raw.repository !== undefined || raw.id !== undefined) {
      throw new InvalidInputError('image', '--image cannot be combined with --repository or --id.', 'Give either --image, or --repository and --id.');
    }
    return { kind: 'image', image: parseImageReference(raw.image) };
  }
  if (raw.repository === undefined && raw.id === undefined) {
    throw new InvalidInputError('image', 'No operation was named.', 'Give --image (its last operation), or --repository and --id.');
  }
  if (raw.id === undefined) {
    throw new InvalidInputError('id', '--repository needs --id.', 'Give the operation id with --id, or use --image instead.');
  }
  if (raw.repository === undefined) {
    throw new InvalidInputError('repository', '--id needs --repository.', 'Give the repository the operation belongs to with --repository.');
  }
  const repository = validateRepository(raw.repository);
  try {
    return { kind: 'id', repository, id: validateOperationId(raw.id) };
  } catch (error) {
    // Same error, typed as input (validateOperationId lives in the HTTP client).
    const message = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError('id', message, 'Operation ids look like 7dfcc117-d980-4c19-8817-3171e14186ca.');
  }
}
