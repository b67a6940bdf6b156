/**
 * Azure for the core: clouds, Resource Manager discovery (tenants, subscriptions, registries),
 * registry-level streaming pre-flight, portal links and the "Stream on AKS" help. The SDKs
 * behind `createAzureResourceClient` load on first use, so importing this costs little.
 */
export { AZURE_CLOUDS, parseCustomCloud, resolveCloud } from './clouds';
export type { AzureCloud, CloudName } from './clouds';
export type { AzureRegistry, AzureSubscription, AzureTenant, SoftDeletePolicy } from './models';
export { createAzureResourceClient, SOFT_DELETE_API_VERSION } from './azureResourceClient';
export type { AzureResourceApi, AzureResourceClientOptions } from './azureResourceClient';
export { formatRegistryId, normalizeRegistryId, parseRegistryId } from './registryId';
export type { RegistryIdParts } from './registryId';
export { assertRegistryAllowsStreaming, registryStreamingBlockers } from './registryPreflight';
export type { RegistryBlocker } from './registryPreflight';
export { registryPortalUrl, repositoryPortalUrl } from './portalLinks';
export { aksStreamingHelp } from './aksHelp';
export type { AksStreamingHelpInput } from './aksHelp';
export { isLoopbackHost } from './loopback';
