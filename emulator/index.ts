/**
 * The local ACR-compatible emulator: a real docker-registry underneath, ACR's data-plane API
 * (auth, `/acr/v1` metadata, artifact streaming, referrers) in front, and the part of Azure
 * Resource Manager the extension reads (tenants, subscriptions, registries). See README.md.
 */
export { startEmulator } from './startEmulator';
export type {
  AzureFixture,
  AzureFixtureInput,
  AzureRegistryDataPlane,
  AzureRegistryFixture,
  AzureRegistryInput,
  AzureSkuName,
  AzureSubscriptionFixture,
  AzureTenantFixture,
  EmulatorHandle,
  EmulatorOptions,
  EntraTestAccount,
  EntraTestCredential,
  EntraTestTokenOptions,
  FaultKind,
  FaultRule,
  IssuedEntraTestToken,
  RequestCounts,
  ScopedTokenOption,
} from './types';
export { parseFaultRules } from './faults/faultRule';
export { DEFAULT_TENANT_ID } from './auth/tokenService';
export {
  CONTOSO_PRODUCTION_SUBSCRIPTION_ID,
  CONTOSO_SANDBOX_SUBSCRIPTION_ID,
  DEFAULT_AZURE_FIXTURE,
  FABRIKAM_DEV_SUBSCRIPTION_ID,
  FABRIKAM_TENANT_ID,
} from './azure/azureFixture';
export { ACR_ENTRA_AUDIENCE, ARM_AUDIENCES } from './azure/audiences';
export { VSCODE_CLIENT_ID } from './azure/entraClaims';
export { DEFAULT_CONVERSION_BYTES_PER_SECOND } from './conversion/conversionSpeed';
