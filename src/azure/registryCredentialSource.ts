/**
 * Where a registry's endpoint and credentials come from: the registry store for registries
 * added by hand or in settings (their stored sign-in wins), else Azure discovery, whose
 * registries sign in with the Azure account through the ACR token exchange. A registry only a
 * workspace lists gets the store's answer (anonymous until the user confirms it), unless
 * Azure discovery found the same registry at the same address: the user's subscription
 * vouches for it then.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryCredentials } from '../core/auth/credentials';
import type { AzureCloud } from '../core/azure/clouds';
import { isLoopbackHost } from '../core/azure/loopback';
import { AcrStreamingError } from '../core/errors';
import { parseRegistry, type RegistryEndpoint } from '../core/reference';
import type { CredentialSource } from '../services/connectionManager';
import type { RegistryStore } from '../services/registryStore';
import type { AzureCatalog } from './azureCatalog';

export class RegistryCredentialSource implements CredentialSource {
  constructor(
    private readonly store: Pick<RegistryStore, 'endpointOf' | 'get' | 'resolveCredentials'>,
    private readonly catalog: Pick<AzureCatalog, 'registryFor' | 'findRegistry'>,
    private readonly cloud: () => AzureCloud,
  ) {}

  /**
   * A registry not known yet is looked for in Azure: after a window reload the tracker polls
   * conversions before anyone expands the Azure node again.
   */
  async endpointOf(loginServer: string): Promise<RegistryEndpoint | undefined> {
    const listed = this.store.endpointOf(loginServer);
    if (listed) {
      return listed;
    }
    return (await this.catalog.findRegistry(loginServer)) ? discoveredEndpoint(loginServer, this.cloud()) : undefined;
  }

  async resolveCredentials(loginServer: string, entraCredential: (tenantId?: string) => TokenCredential): Promise<RegistryCredentials> {
    const scope = this.cloud().registryExchangeScope;
    const entry = this.store.get(loginServer);
    if (entry && !entry.trusted && this.isDiscoveredAt(loginServer, entry.endpoint)) {
      return this.discoveredCredentials(loginServer, entraCredential, scope);
    }
    if (entry) {
      const credentials = await this.store.resolveCredentials(loginServer, entraCredential);
      return credentials.kind === 'entra' ? { ...credentials, scope } : credentials;
    }
    return this.discoveredCredentials(loginServer, entraCredential, scope);
  }

  private isDiscoveredAt(loginServer: string, endpoint: RegistryEndpoint): boolean {
    return this.catalog.registryFor(loginServer) !== undefined && discoveredEndpoint(loginServer, this.cloud()).baseUrl === endpoint.baseUrl;
  }

  private discoveredCredentials(loginServer: string, entraCredential: (tenantId?: string) => TokenCredential, scope: string): RegistryCredentials {
    const found = this.catalog.registryFor(loginServer);
    if (!found) {
      throw new AcrStreamingError('INVALID_INPUT', `${loginServer} is neither in the registry list nor in a subscription you are signed in to.`, {
        hint: 'Add it with "ACR Streaming: Add Registry…", or sign in to Azure.',
      });
    }
    const tenantId = found.subscription.tenantId;
    return { kind: 'entra', credential: entraCredential(tenantId), tenantId, scope };
  }
}

/**
 * A discovered registry's endpoint: HTTPS, except a loopback registry listed by a loopback
 * Resource Manager (the local emulator), which speaks the ARM endpoint's scheme.
 */
export function discoveredEndpoint(loginServer: string, cloud: AzureCloud): RegistryEndpoint {
  const arm = new URL(cloud.resourceManagerEndpoint);
  const host = new URL(`https://${loginServer}`).hostname;
  const scheme = arm.protocol === 'http:' && isLoopbackHost(arm.hostname) && isLoopbackHost(host) ? 'http' : 'https';
  return parseRegistry(`${scheme}://${loginServer}`);
}
