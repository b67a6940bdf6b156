/**
 * What the emulator's Azure Resource Manager knows: tenants, subscriptions and container
 * registries. The default is two tenants (Contoso, Fabrikam) and four registries whose data
 * planes are the emulator's own listeners (see emulator/README.md).
 */
import { DEFAULT_TENANT_ID } from '../auth/tokenService';
import type { AzureFixture, AzureFixtureInput, AzureRegistryDataPlane, AzureRegistryFixture } from '../types';

export const FABRIKAM_TENANT_ID = 'fab0a1c5-0000-4000-8000-00000000fab1';
export const CONTOSO_PRODUCTION_SUBSCRIPTION_ID = 'c0a1b2c3-0000-4000-8000-000000000001';
export const CONTOSO_SANDBOX_SUBSCRIPTION_ID = 'c0a1b2c3-0000-4000-8000-000000000002';
export const FABRIKAM_DEV_SUBSCRIPTION_ID = 'fab0b2c3-0000-4000-8000-000000000003';

export const DEFAULT_AZURE_FIXTURE: AzureFixtureInput = {
  tenants: [
    { tenantId: DEFAULT_TENANT_ID, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com' },
    { tenantId: FABRIKAM_TENANT_ID, displayName: 'Fabrikam', defaultDomain: 'fabrikam.onmicrosoft.com' },
  ],
  subscriptions: [
    { subscriptionId: CONTOSO_PRODUCTION_SUBSCRIPTION_ID, tenantId: DEFAULT_TENANT_ID, displayName: 'Contoso Production' },
    { subscriptionId: CONTOSO_SANDBOX_SUBSCRIPTION_ID, tenantId: DEFAULT_TENANT_ID, displayName: 'Contoso Sandbox' },
    { subscriptionId: FABRIKAM_DEV_SUBSCRIPTION_ID, tenantId: FABRIKAM_TENANT_ID, displayName: 'Fabrikam Dev' },
  ],
  registries: [
    {
      name: 'streamingdemo',
      subscriptionId: CONTOSO_PRODUCTION_SUBSCRIPTION_ID,
      resourceGroup: 'rg-streaming',
      location: 'eastus',
      sku: 'Premium',
      encryption: 'disabled',
      softDelete: { status: 'enabled', retentionDays: 7 },
      dataPlane: 'main',
    },
    {
      name: 'standarddemo',
      subscriptionId: CONTOSO_PRODUCTION_SUBSCRIPTION_ID,
      resourceGroup: 'rg-legacy',
      location: 'westeurope',
      sku: 'Standard',
      encryption: 'disabled',
      dataPlane: 'own',
    },
    {
      name: 'cmkdemo',
      subscriptionId: CONTOSO_SANDBOX_SUBSCRIPTION_ID,
      resourceGroup: 'rg-secure',
      location: 'northeurope',
      sku: 'Premium',
      encryption: 'enabled',
      dataPlane: 'own',
    },
    {
      name: 'fabrikamacr',
      subscriptionId: FABRIKAM_DEV_SUBSCRIPTION_ID,
      resourceGroup: 'rg-fab',
      location: 'westus2',
      sku: 'Premium',
      encryption: 'disabled',
      dataPlane: 'localhost',
    },
  ],
};

/** Throws when the fixture contradicts itself (a subscription of an unknown tenant, a duplicate name…). */
export function checkAzureFixture(input: AzureFixtureInput): void {
  const tenants = new Set(input.tenants.map((t) => t.tenantId.toLowerCase()));
  const subscriptions = new Set<string>();
  for (const s of input.subscriptions) {
    if (!tenants.has(s.tenantId.toLowerCase())) {
      throw new Error(`azure fixture: subscription ${s.subscriptionId} names unknown tenant ${s.tenantId}`);
    }
    subscriptions.add(s.subscriptionId.toLowerCase());
  }
  const names = new Set<string>();
  for (const r of input.registries) {
    if (!subscriptions.has(r.subscriptionId.toLowerCase())) {
      throw new Error(`azure fixture: registry ${r.name} names unknown subscription ${r.subscriptionId}`);
    }
    // Registry names are global in Azure (they make the login server).
    if (names.has(r.name.toLowerCase())) {
      throw new Error(`azure fixture: registry name ${r.name} is used twice`);
    }
    names.add(r.name.toLowerCase());
  }
}

export function registryResourceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;
}

/** The fixture with each registry's data plane resolved to a login server. */
export function resolveAzureFixture(
  input: AzureFixtureInput,
  dataPlaneOf: (registryName: string, choice: AzureRegistryDataPlane) => { loginServer: string; url: string },
): AzureFixture {
  const registries = input.registries.map(({ dataPlane, softDelete, ...registry }): AzureRegistryFixture => ({
    ...registry,
    softDelete: softDelete ?? { status: 'disabled', retentionDays: 7 },
    ...dataPlaneOf(registry.name, dataPlane ?? 'main'),
    id: registryResourceId(registry.subscriptionId, registry.resourceGroup, registry.name),
  }));
  return { tenants: input.tenants.map((t) => ({ ...t })), subscriptions: input.subscriptions.map((s) => ({ ...s })), registries };
}
