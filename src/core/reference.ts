/**
 * Image references and registry addresses, validated by the OCI distribution grammar.
 * Every rejection is an `InvalidInputError` that names the part that was wrong; input is echoed
 * through `quoteInput` (no credentials, cut to a readable length).
 */
import { InvalidInputError } from './errors';
import { quoteInput, quotePartOf } from './quoteInput';
import { assertAllowedRegistryHost } from './registryHost';

// OCI distribution spec: path components joined by '/', each lower-case alphanumerics
// separated by '.', '_', '__' or runs of '-'.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256_RE = /^sha256:[a-f0-9]{64}$/;
const SHA512_RE = /^sha512:[a-f0-9]{128}$/;
const HOST_LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const HOST_RE = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$`);
/** ACR registry names: 5–50 alphanumerics. */
const ACR_NAME_RE = /^[A-Za-z0-9]{5,50}$/;
const MAX_REPOSITORY_LENGTH = 255;
/** `user:pass@host` or `scheme://user@host`: userinfo before the host, with or without a scheme. */
const USERINFO_RE = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#\s]*@/i;
const CREDENTIALS_HINT = 'Remove them from the address and give them as a username and password instead.';

export const DEFAULT_REGISTRY_SUFFIX = '.azurecr.io';

export interface RegistryEndpoint {
  /** Host and optional port, as used in image references and token `service`. */
  loginServer: string;
  /** Scheme, host and port; no trailing slash. */
  baseUrl: string;
}

export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
  /** Login server, when the reference named one (`myreg.azurecr.io/repo:tag`). */
  registry?: string;
}

export function isValidRepository(name: string): boolean {
  return name.length <= MAX_REPOSITORY_LENGTH && REPOSITORY_RE.test(name);
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function isValidDigest(digest: string): boolean {
  if (!DIGEST_RE.test(digest)) {
    return false;
  }
  if (digest.startsWith('sha256:')) {
    return SHA256_RE.test(digest);
  }
  if (digest.startsWith('sha512:')) {
    return SHA512_RE.test(digest);
  }
  return true;
}

export function validateRepository(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new InvalidInputError('repository', 'The repository name is empty.', 'Give a repository such as "samples/hello".');
  }
  if (trimmed.length > MAX_REPOSITORY_LENGTH) {
    throw new InvalidInputError('repository', `The repository name is longer than ${MAX_REPOSITORY_LENGTH} characters.`);
  }
  if (!REPOSITORY_RE.test(trimmed)) {
    throw new InvalidInputError(
      'repository',
      `${quoteInput(trimmed)} is not a valid repository name.`,
      'Use lower-case letters, digits and the separators ".", "_", "__", "-" and "/" (for example "samples/hello-world").',
    );
  }
  return trimmed;
}

export function validateDigest(digest: string): string {
  const trimmed = digest.trim();
  if (!isValidDigest(trimmed)) {
    throw new InvalidInputError('digest', `${quoteInput(trimmed)} is not a valid digest.`, 'A digest looks like "sha256:" followed by 64 lower-case hex characters.');
  }
  return trimmed;
}

/**
 * Parses `repo:tag`, `repo@digest`, `repo:tag@digest`, optionally prefixed with a login server
 * (`myreg.azurecr.io/repo:tag`). A tag or a digest is required: conversions act on one image.
 */
export function parseImageReference(input: string): ImageReference {
  const text = input.trim();
  if (text === '') {
    throw new InvalidInputError('image', 'The image reference is empty.', 'Give an image such as "samples/hello:1.0" or "samples/hello@sha256:…".');
  }
  if (/\s/.test(text)) {
    throw new InvalidInputError('image', `${quoteInput(text)} contains white space.`, 'Image references have no spaces.');
  }

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) {
      throw new InvalidInputError('digest', `${quotePartOf(digest, text)} is not a valid digest.`, 'A digest looks like "sha256:" followed by 64 lower-case hex characters.');
    }
  }

  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    // Docker's rule: the first component is a host when it has a '.' or ':' or is localhost.
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      if (!HOST_RE.test(first)) {
        throw new InvalidInputError('registry', `${quotePartOf(first, text)} is not a valid registry host.`);
      }
      registry = first.toLowerCase();
      rest = rest.slice(firstSlash + 1);
    }
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) {
      throw new InvalidInputError(
        'tag',
        `${quotePartOf(tag, text)} is not a valid tag.`,
        'Tags are up to 128 letters, digits, "_", "." and "-", and do not start with "." or "-".',
      );
    }
  }

  if (rest === '') {
    throw new InvalidInputError('repository', `${quoteInput(text)} has no repository name.`);
  }
  if (!isValidRepository(rest)) {
    throw new InvalidInputError(
      'repository',
      `${quotePartOf(rest, text)} is not a valid repository name.`,
      'Use lower-case letters, digits and the separators ".", "_", "__", "-" and "/".',
    );
  }
  if (tag === undefined && digest === undefined) {
    const example = rest.length <= 40 ? `, for example "${rest}:latest" or "${rest}@sha256:…"` : ' after the name, for example ":latest"';
    throw new InvalidInputError('image', `${quoteInput(text)} names no tag or digest.`, `Add one${example}.`);
  }
  return { repository: rest, tag, digest, registry };
}

/** `repo:tag`, `repo@digest` or `repo:tag@digest`, with the registry in front when asked. */
export function formatImageReference(ref: ImageReference, withRegistry = false): string {
  let text = ref.repository;
  if (ref.tag) {
    text += `:${ref.tag}`;
  }
  if (ref.digest) {
    text += `@${ref.digest}`;
  }
  return withRegistry && ref.registry ? `${ref.registry}/${text}` : text;
}

export interface ParseRegistryOptions {
  /** Suffix for bare registry names; `.azurecr.io` unless a sovereign cloud says otherwise. */
  defaultSuffix?: string;
}

/**
 * Parses a registry as a login server (`myreg.azurecr.io`, `127.0.0.1:5000`), a bare ACR name
 * (`myreg` → `myreg.azurecr.io`) or a URL (`http://127.0.0.1:5000`). Only URLs may choose
 * plain HTTP; everything else is HTTPS. Link-local and cloud metadata addresses are refused in
 * every spelling (registryHost.ts): this runs for the CLI, the settings and Add Registry alike.
 */
export function parseRegistry(input: string, options: ParseRegistryOptions = {}): RegistryEndpoint {
  const endpoint = parseRegistryAddress(input, options);
  assertAllowedRegistryHost(endpoint.baseUrl);
  return endpoint;
}

function parseRegistryAddress(input: string, options: ParseRegistryOptions): RegistryEndpoint {
  const text = input.trim();
  if (text === '') {
    throw new InvalidInputError('registry', 'The registry is empty.', 'Give a login server such as "myregistry.azurecr.io", a registry name, or a URL.');
  }
  // Before anything echoes the input: a refusal for another reason must not print the password.
  if (USERINFO_RE.test(text)) {
    throw new InvalidInputError('registry', 'The registry address contains credentials (user:password@); they were not used.', CREDENTIALS_HINT);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InvalidInputError('registry', `${quoteInput(text)} is not a valid URL.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InvalidInputError('registry', `${quoteInput(text)} uses ${quoteInput(url.protocol.replace(':', ''), 20)}; only http and https are supported.`);
    }
    if (url.username || url.password) {
      throw new InvalidInputError('registry', 'The registry URL contains credentials; they were not used.', CREDENTIALS_HINT);
    }
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      throw new InvalidInputError('registry', `${quoteInput(text)} has a path, query or fragment.`, `Use only the scheme, host and port, for example ${quoteInput(`${url.protocol}//${url.host}`)}.`);
    }
    return { loginServer: url.host.toLowerCase(), baseUrl: `${url.protocol}//${url.host.toLowerCase()}` };
  }
  if (text.includes('/')) {
    throw new InvalidInputError('registry', `${quoteInput(text)} is not a registry: it contains "/".`, 'Give only the login server, for example "myregistry.azurecr.io".');
  }
  if (text.includes('.') || text.includes(':') || text === 'localhost') {
    if (!HOST_RE.test(text)) {
      throw new InvalidInputError('registry', `${quoteInput(text)} is not a valid login server.`);
    }
    const port = /:(\d+)$/.exec(text)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      throw new InvalidInputError('registry', `Port ${port} in ${quoteInput(text)} is out of range.`);
    }
    const host = text.toLowerCase();
    return { loginServer: host, baseUrl: `https://${host}` };
  }
  if (!ACR_NAME_RE.test(text)) {
    throw new InvalidInputError('registry', `${quoteInput(text)} is not a valid registry name.`, 'Registry names are 5 to 50 letters and digits; or give a full login server or URL.');
  }
  const host = `${text.toLowerCase()}${options.defaultSuffix ?? DEFAULT_REGISTRY_SUFFIX}`;
  return { loginServer: host, baseUrl: `https://${host}` };
}
