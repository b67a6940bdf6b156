/** ARM ids of container registries, parsed and rebuilt in one canonical spelling. */
import { InvalidInputError } from '../errors';
import { quoteInput } from '../quoteInput';

export interface RegistryIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
// Resource groups: 1–90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.
const RESOURCE_GROUP = '[\\p{L}\\p{N}_().-]{0,89}[\\p{L}\\p{N}_()-]';
const REGISTRY_NAME = '[A-Za-z0-9]{5,50}';
// Segment names are case-insensitive in ARM; values keep their case.
const REGISTRY_ID_RE = new RegExp(
  `^/subscriptions/(${GUID})/resourceGroups/(${RESOURCE_GROUP})/providers/Microsoft\\.ContainerRegistry/registries/(${REGISTRY_NAME})/?$`,
  'iu',
);

/** Splits a registry's ARM id; anything else is an `InvalidInputError` (part "registryId"). */
export function parseRegistryId(id: string): RegistryIdParts {
  const match = REGISTRY_ID_RE.exec(typeof id === 'string' ? id.trim() : '');
  if (!match) {
    throw new InvalidInputError(
      'registryId',
      `${quoteInput(id, 200)} is not the Azure Resource Manager id of a container registry.`,
      'It looks like /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>.',
    );
  }
  return { subscriptionId: match[1], resourceGroup: match[2], name: match[3] };
}

/** The id with ARM's usual capitalisation of segment names. */
export function formatRegistryId(parts: RegistryIdParts): string {
  return `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${parts.name}`;
}

/** Validates and normalises an id (segment names, no trailing slash). */
export function normalizeRegistryId(id: string): string {
  return formatRegistryId(parseRegistryId(id));
}
