/**
 * Registry-level reasons ACR refuses artifact streaming, from Azure Resource Manager
 * properties: only Premium registries stream, and not those encrypted with customer-managed keys.
 */
import { AcrStreamingError } from '../errors';
import type { AzureRegistry } from './models';

export interface RegistryBlocker {
  code: 'SKU_NOT_PREMIUM' | 'CUSTOMER_MANAGED_KEYS';
  message: string;
  hint: string;
}

type RegistryFacts = Pick<AzureRegistry, 'name' | 'sku' | 'encryptionEnabled' | 'loginServer'>;

/** Empty when ACR allows artifact streaming on this registry. */
export function registryStreamingBlockers(registry: RegistryFacts): RegistryBlocker[] {
  const blockers: RegistryBlocker[] = [];
  if (registry.sku.toLowerCase() !== 'premium') {
    blockers.push({
      code: 'SKU_NOT_PREMIUM',
      message: `${registry.loginServer} is a ${registry.sku} registry; artifact streaming needs the Premium tier.`,
      hint: `Upgrade it with \`az acr update --name ${registry.name} --sku Premium\` (Premium includes 500 GiB of storage), then try again.`,
    });
  }
  if (registry.encryptionEnabled) {
    blockers.push({
      code: 'CUSTOMER_MANAGED_KEYS',
      message: `${registry.loginServer} is encrypted with customer-managed keys, which artifact streaming does not support.`,
      hint: 'Customer-managed keys cannot be turned off on an existing registry: use a Premium registry without them for streamed images.',
    });
  }
  return blockers;
}

/** Throws the first blocker as an `AcrStreamingError` with its code. Nothing is sent. */
export function assertRegistryAllowsStreaming(registry: RegistryFacts): void {
  const [first] = registryStreamingBlockers(registry);
  if (first) {
    throw new AcrStreamingError(first.code, first.message, { hint: first.hint });
  }
}
