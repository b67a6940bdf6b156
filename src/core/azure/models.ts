/** What the core reads from Azure Resource Manager: tenants, subscriptions, registries. */

export interface AzureTenant {
  tenantId: string;
  displayName?: string;
  defaultDomain?: string;
}

export interface AzureSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state?: string;
}

export interface AzureRegistry {
  /** Full ARM id: /subscriptions/{sid}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}. */
  id: string;
  name: string;
  subscriptionId: string;
  /** Parsed from `id`. */
  resourceGroup: string;
  location: string;
  /** "Basic" | "Standard" | "Premium", or any other string as the service gave it. */
  sku: string;
  /** Lower-cased host[:port]. */
  loginServer: string;
  /** Customer-managed keys: `properties.encryption.status === 'enabled'`. */
  encryptionEnabled: boolean;
  adminUserEnabled?: boolean;
  anonymousPullEnabled?: boolean;
}

export interface SoftDeletePolicy {
  enabled: boolean;
  retentionDays?: number;
}
