/**
 * Whether a registry of the Azure fixture may use artifact streaming: only Premium registries
 * without customer-managed keys can (Microsoft Learn). How ACR words the refusal is not
 * recorded; the 400 `UNSUPPORTED` replies below are ours.
 */
import type { AzureRegistryFixture } from '../types';

export interface StreamingRefusal {
  status: number;
  code: string;
  message: string;
  detail: Record<string, string>;
}

export function streamingRefusal(registry: Pick<AzureRegistryFixture, 'name' | 'sku' | 'encryption'>): StreamingRefusal | undefined {
  if (registry.sku !== 'Premium') {
    return {
      status: 400,
      code: 'UNSUPPORTED',
      message: `Artifact streaming is only available for Premium SKU registries; registry '${registry.name}' is ${registry.sku}`,
      detail: { registry: registry.name, sku: registry.sku },
    };
  }
  if (registry.encryption === 'enabled') {
    return {
      status: 400,
      code: 'UNSUPPORTED',
      message: `Artifact streaming is not supported for registries encrypted with customer-managed keys; registry '${registry.name}' uses one`,
      detail: { registry: registry.name, encryption: 'enabled' },
    };
  }
  return undefined;
}

/**
 * The refusal for a request, by the login server it was sent to (its `Host`): each fixture
 * registry has its own, and a name the fixture does not know (a plain emulator) may stream.
 */
export function streamingRefusalByHost(registries: readonly AzureRegistryFixture[]): (host: string | undefined) => StreamingRefusal | undefined {
  const byLoginServer = new Map(registries.map((r) => [r.loginServer.toLowerCase(), streamingRefusal(r)]));
  return (host) => (host ? byLoginServer.get(host.toLowerCase()) : undefined);
}
