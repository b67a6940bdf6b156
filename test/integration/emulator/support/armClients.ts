/**
 * The real Azure management SDKs pointed at the emulator's ARM. Their bearer-token policy
 * refuses plain-HTTP URLs, so it is swapped for a policy that sends an Entra test token: the
 * SDKs' own request building, paging and deserialisation still run for real.
 */
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { EmulatorHandle } from '../../../../emulator/index';

export function testTokenPolicy(token: () => string): PipelinePolicy {
  return {
    name: 'emulatorEntraTestToken',
    sendRequest: (request, next) => {
      request.headers.set('Authorization', `Bearer ${token()}`);
      return next(request);
    },
  };
}

function useTestToken(pipeline: Pipeline, token: () => string): void {
  pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  pipeline.addPolicy(testTokenPolicy(token));
}

const clientOptions = (emu: EmulatorHandle) => ({ endpoint: emu.armUrl, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });

export function subscriptionClient(emu: EmulatorHandle, token: () => string): SubscriptionClient {
  const client = new SubscriptionClient(emu.entraTestCredential(), clientOptions(emu));
  useTestToken(client.pipeline, token);
  return client;
}

export function registryClient(emu: EmulatorHandle, subscriptionId: string, token: () => string): ContainerRegistryManagementClient {
  const client = new ContainerRegistryManagementClient(emu.entraTestCredential(), subscriptionId, clientOptions(emu));
  useTestToken(client.pipeline, token);
  return client;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}
