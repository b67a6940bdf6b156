/**
 * The Azure clouds the extension can sign in to, and a user-defined one (Azure Stack, a
 * private cloud, or the local emulator's ARM endpoint). Everything cloud-specific lives here:
 * endpoints, Entra scopes, portal, registry suffix and the VS Code authentication provider.
 */
import { DEFAULT_ENTRA_SCOPE } from '../auth/credentials';
import { InvalidInputError } from '../errors';
import { isLoopbackHost } from './loopback';
import { quoteInput } from '../quoteInput';

export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment' | 'Custom';

export interface AzureCloud {
  readonly name: CloudName;
  /** "Azure", "Azure China (21Vianet)", "Azure US Government", or the custom name. */
  readonly displayName: string;
  /** Azure Resource Manager, without a trailing slash: "https://management.azure.com". */
  readonly resourceManagerEndpoint: string;
  /** Entra scope for ARM: "https://management.azure.com/.default". */
  readonly managementScope: string;
  /**
   * Entra scope of the token exchanged at the registry's /oauth2/exchange. Public Azure has a
   * registry audience; sovereign clouds use their ARM scope (ACR accepts ARM tokens, as the
   * Azure CLI relies on).
   */
  readonly registryExchangeScope: string;
  readonly portalUrl: string;
  /** ".azurecr.io", ".azurecr.cn", ".azurecr.us". */
  readonly registrySuffix: string;
  /** VS Code authentication provider id: 'microsoft', or 'microsoft-sovereign-cloud'. */
  readonly authenticationProvider: string;
  /** The value VS Code's `microsoft-sovereign-cloud.environment` setting must have. */
  readonly sovereignEnvironment?: 'ChinaCloud' | 'USGovernment';
}

export const AZURE_CLOUDS: Readonly<Record<Exclude<CloudName, 'Custom'>, AzureCloud>> = Object.freeze({
  AzureCloud: Object.freeze({
    name: 'AzureCloud',
    displayName: 'Azure',
    resourceManagerEndpoint: 'https://management.azure.com',
    managementScope: 'https://management.azure.com/.default',
    registryExchangeScope: DEFAULT_ENTRA_SCOPE,
    portalUrl: 'https://portal.azure.com',
    registrySuffix: '.azurecr.io',
    authenticationProvider: 'microsoft',
  }),
  AzureChinaCloud: Object.freeze({
    name: 'AzureChinaCloud',
    displayName: 'Azure China (21Vianet)',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    managementScope: 'https://management.chinacloudapi.cn/.default',
    registryExchangeScope: 'https://management.chinacloudapi.cn/.default',
    portalUrl: 'https://portal.azure.cn',
    registrySuffix: '.azurecr.cn',
    authenticationProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'ChinaCloud',
  }),
  AzureUSGovernment: Object.freeze({
    name: 'AzureUSGovernment',
    displayName: 'Azure US Government',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    managementScope: 'https://management.usgovcloudapi.net/.default',
    registryExchangeScope: 'https://management.usgovcloudapi.net/.default',
    portalUrl: 'https://portal.azure.us',
    registrySuffix: '.azurecr.us',
    authenticationProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  }),
});

const CLOUD_NAMES: readonly CloudName[] = ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment', 'Custom'];
const CUSTOM_FIELDS = ['name', 'resourceManagerEndpoint', 'managementScope', 'registryExchangeScope', 'portalUrl', 'registrySuffix', 'authenticationProvider'] as const;
const SCOPE_RE = /^\S{1,500}\/\.default$/;
const SUFFIX_RE = /^(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const PROVIDER_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/i;
const MAX_NAME_LENGTH = 100;

/**
 * Validates a user's custom cloud (from a setting). Only `resourceManagerEndpoint` is required
 * (https; http only on 127.0.0.1, localhost or [::1]). Defaults: `managementScope` =
 * `<endpoint>/.default`, `registryExchangeScope` = `managementScope`, `portalUrl` = the public
 * Azure portal, `registrySuffix` = ".azurecr.io", `authenticationProvider` =
 * 'microsoft-sovereign-cloud'. Unknown fields are refused, so a misspelt one is not ignored.
 */
export function parseCustomCloud(value: unknown): AzureCloud {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      'customCloud',
      'The custom cloud is not an object.',
      'Give an object such as {"name": "My cloud", "resourceManagerEndpoint": "https://management.example.com"}.',
    );
  }
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(CUSTOM_FIELDS as readonly string[]).includes(key)) {
      throw new InvalidInputError(key, `The custom cloud has an unknown field "${key}".`, `Known fields: ${CUSTOM_FIELDS.join(', ')}.`);
    }
  }
  const name = optionalString(fields, 'name');
  if (name !== undefined && (name.trim() === '' || name.length > MAX_NAME_LENGTH || hasControlCharacters(name))) {
    throw new InvalidInputError('name', 'The custom cloud\'s name is empty, too long or has control characters.', `Use up to ${MAX_NAME_LENGTH} printable characters.`);
  }
  const endpoint = endpointUrl(fields);
  const managementScope = scope(fields, 'managementScope') ?? `${endpoint}/.default`;
  const registryExchangeScope = scope(fields, 'registryExchangeScope') ?? managementScope;
  const portalUrl = portal(fields) ?? AZURE_CLOUDS.AzureCloud.portalUrl;
  const suffix = optionalString(fields, 'registrySuffix')?.toLowerCase();
  if (suffix !== undefined && !SUFFIX_RE.test(suffix)) {
    throw new InvalidInputError('registrySuffix', `${quoteInput(suffix)} is not a registry suffix.`, 'Give the part after the registry name, starting with a dot, e.g. ".azurecr.io".');
  }
  const provider = optionalString(fields, 'authenticationProvider');
  if (provider !== undefined && !PROVIDER_RE.test(provider)) {
    throw new InvalidInputError('authenticationProvider', `${quoteInput(provider)} is not an authentication provider id.`, 'Use a VS Code authentication provider id such as "microsoft-sovereign-cloud".');
  }
  return Object.freeze({
    name: 'Custom',
    displayName: name?.trim() ?? 'Custom cloud',
    resourceManagerEndpoint: endpoint,
    managementScope,
    registryExchangeScope,
    portalUrl,
    registrySuffix: suffix ?? AZURE_CLOUDS.AzureCloud.registrySuffix,
    authenticationProvider: provider ?? 'microsoft-sovereign-cloud',
  });
}

/** The cloud a setting names (AzureCloud when unset); 'Custom' reads `custom`. */
export function resolveCloud(name: unknown, custom: unknown): AzureCloud {
  if (name === undefined || name === null || name === '') {
    return AZURE_CLOUDS.AzureCloud;
  }
  const known = typeof name === 'string' ? CLOUD_NAMES.find((candidate) => candidate.toLowerCase() === name.trim().toLowerCase()) : undefined;
  if (!known) {
    throw new InvalidInputError('cloud', `${quoteInput(name)} is not an Azure cloud.`, `Use one of ${CLOUD_NAMES.join(', ')}.`);
  }
  return known === 'Custom' ? parseCustomCloud(custom) : AZURE_CLOUDS[known];
}

function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function optionalString(fields: Record<string, unknown>, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InvalidInputError(key, `The custom cloud's "${key}" is not a string.`, `Give "${key}" as text.`);
  }
  return value;
}

function endpointUrl(fields: Record<string, unknown>): string {
  const text = optionalString(fields, 'resourceManagerEndpoint');
  if (text === undefined || text.trim() === '') {
    throw new InvalidInputError('resourceManagerEndpoint', 'The custom cloud has no "resourceManagerEndpoint".', 'Give its Azure Resource Manager URL, e.g. "https://management.example.com".');
  }
  const url = parseUrl(text.trim(), 'resourceManagerEndpoint');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new InvalidInputError(
      'resourceManagerEndpoint',
      `${quoteInput(text)} must use https.`,
      'Tokens are only sent over HTTPS; plain http is allowed only for 127.0.0.1, localhost or [::1].',
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    // The URL is not repeated: it may hold a password.
    throw new InvalidInputError('resourceManagerEndpoint', `The resourceManagerEndpoint of ${url.host} has a query, a fragment or credentials.`, 'Give only the scheme, host, port and path.');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function scope(fields: Record<string, unknown>, key: 'managementScope' | 'registryExchangeScope'): string | undefined {
  const text = optionalString(fields, key);
  if (text !== undefined && !SCOPE_RE.test(text)) {
    throw new InvalidInputError(key, `${quoteInput(text)} is not an Entra scope.`, 'A scope is a resource URI followed by "/.default", e.g. "https://management.example.com/.default".');
  }
  return text;
}

function portal(fields: Record<string, unknown>): string | undefined {
  const text = optionalString(fields, 'portalUrl');
  if (text === undefined) {
    return undefined;
  }
  const url = parseUrl(text.trim(), 'portalUrl');
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    throw new InvalidInputError('portalUrl', `The portalUrl of ${url.host} is not an https address without credentials.`, 'Give the portal\'s https address without a query or fragment, e.g. "https://portal.example.com".');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function parseUrl(text: string, part: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new InvalidInputError(part, `${quoteInput(text)} is not a URL.`, 'Give an absolute URL such as "https://management.example.com".');
  }
}
