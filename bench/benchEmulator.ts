/**
 * The emulator every network benchmark runs against: seeded with the samples, its Resource
 * Manager listing a large fixture (100 subscriptions × 5 registries), and `LATENCY_MS` added to
 * every request by its own latency fault, so round trips cost what they cost over a network.
 */
import { DEFAULT_TENANT_ID, startEmulator, type AzureFixtureInput, type EmulatorHandle, type FaultRule } from '../emulator';

export const LATENCY_MS = 25;
export const MANY_TAGS = 'samples/many-tags';
export const AZURE_SCALE = { subscriptions: 100, registriesPerSubscription: 5 } as const;

export const LATENCY_RULE: FaultRule = { kind: 'latency', latencyMs: LATENCY_MS };

function guid(prefix: number, index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

/** One tenant, `AZURE_SCALE.subscriptions` subscriptions with `registriesPerSubscription` registries each. */
export function largeAzureFixture(): AzureFixtureInput {
  const subscriptions = Array.from({ length: AZURE_SCALE.subscriptions }, (_, i) => ({
    subscriptionId: guid(0xbe0c, i),
    tenantId: DEFAULT_TENANT_ID,
    displayName: `Bench ${String(i).padStart(3, '0')}`,
  }));
  return {
    tenants: [{ tenantId: DEFAULT_TENANT_ID, displayName: 'Bench', defaultDomain: 'bench.onmicrosoft.com' }],
    subscriptions,
    registries: subscriptions.flatMap((s, i) =>
      Array.from({ length: AZURE_SCALE.registriesPerSubscription }, (_, r) => ({
        name: `bench${String(i).padStart(3, '0')}r${r}`,
        subscriptionId: s.subscriptionId,
        resourceGroup: 'bench-rg',
        location: 'eastus',
        sku: 'Premium' as const,
        encryption: 'disabled' as const,
      })),
    ),
  };
}

export function startBenchEmulator(log: (line: string) => void): Promise<EmulatorHandle> {
  return startEmulator({ seed: true, azure: largeAzureFixture(), log });
}

export function basicAuthorization(emulator: EmulatorHandle): string {
  return `Basic ${Buffer.from(`${emulator.username}:${emulator.password}`).toString('base64')}`;
}

/** Median of sequential `GET /v2/` round trips with the latency rule on: the RTT of the bounds. */
export async function measureRtt(emulator: EmulatorHandle, samples = 21): Promise<number> {
  const authorization = basicAuthorization(emulator);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const reply = await fetch(`${emulator.url}/v2/`, { headers: { authorization } });
    await reply.arrayBuffer();
    if (!reply.ok) {
      throw new Error(`GET /v2/ answered ${reply.status}`);
    }
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
