/** Links into the Azure portal for a registry. */
import { InvalidInputError } from '../errors';
import { validateRepository } from '../reference';
import type { AzureCloud } from './clouds';
import type { AzureRegistry } from './models';
import { normalizeRegistryId } from './registryId';
import { quoteInput } from '../quoteInput';

// A tenant id (GUID) or a verified domain (contoso.onmicrosoft.com).
const TENANT_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$/;

/** `<portal>/#@<tenant>/resource<id>/overview`; without `@<tenant>` when no tenant is known. */
export function registryPortalUrl(cloud: AzureCloud, registry: Pick<AzureRegistry, 'id'>, tenantId?: string): string {
  return `${resourceBase(cloud, registry, tenantId)}/overview`;
}

/**
 * The registry's "Repositories" blade. The portal has no stable address for one repository,
 * so the name is only validated; the blade lists it among the others.
 */
export function repositoryPortalUrl(cloud: AzureCloud, registry: Pick<AzureRegistry, 'id'>, tenantId: string | undefined, repository: string): string {
  validateRepository(repository);
  return `${resourceBase(cloud, registry, tenantId)}/repository`;
}

function resourceBase(cloud: AzureCloud, registry: Pick<AzureRegistry, 'id'>, tenantId: string | undefined): string {
  const id = normalizeRegistryId(registry.id);
  if (tenantId !== undefined && !TENANT_RE.test(tenantId)) {
    throw new InvalidInputError('tenantId', `${quoteInput(tenantId)} is not a tenant id or domain.`, 'Use the tenant\'s GUID or its domain, e.g. contoso.onmicrosoft.com.');
  }
  const tenant = tenantId ? `@${tenantId}` : '';
  return `${cloud.portalUrl.replace(/\/+$/, '')}/#${tenant}/resource${id}`;
}
