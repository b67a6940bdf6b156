/**
 * Azure discovery at scale: every registry of every subscription (100 × 5 in the bench
 * fixture) through the extension's AzureCatalog on the core's ARM client, as if every
 * subscription node were expanded at once. Resource Manager's read limit (250 burst, 25 a
 * second per client) is on as a rate-limit fault, so going over it costs 429s and their
 * Retry-After, and shows up as time and requests.
 */
import { parseCustomCloud } from '../src/core/azure/clouds';
import { silentLogger } from '../src/core/logger';
import { AzureCatalog } from '../src/azure/azureCatalog';
import type { EmulatorHandle, FaultRule } from '../emulator';
import { LATENCY_RULE } from './benchEmulator';

export const ARM_READ_LIMIT = { burst: 250, perSecond: 25 } as const;

// `times` counts refusals: what is left of it says how many reads were refused.
const REFUSALS_COUNTED = 1_000_000;

export const ARM_READ_LIMIT_RULE: FaultRule = {
  kind: 'rate-limit',
  times: REFUSALS_COUNTED,
  match: '^GET /(subscriptions|tenants)',
  ratePerMinute: ARM_READ_LIMIT.perSecond * 60,
  burst: ARM_READ_LIMIT.burst,
};

export interface DiscoveryRun {
  ms: number;
  subscriptions: number;
  registries: number;
  armRequests: number;
  /** Reads the limit allows in that time: burst + rate × seconds. */
  allowance: number;
  /** Reads answered 429 by the rate-limit fault. */
  throttled: number;
}

async function throttledSoFar(emulator: EmulatorHandle): Promise<number> {
  const { rules } = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { rules: Array<{ kind: string; remaining: number | null }> };
  const rule = rules.find((r) => r.kind === 'rate-limit');
  return rule ? REFUSALS_COUNTED - (rule.remaining ?? REFUSALS_COUNTED) : 0;
}

export async function azureDiscoveryBench(emulator: EmulatorHandle): Promise<DiscoveryRun> {
  emulator.setFaults([LATENCY_RULE, ARM_READ_LIMIT_RULE]);
  const catalog = new AzureCatalog({
    credential: (tenantId) => emulator.entraTestCredential({ tenantId: tenantId ?? emulator.tenantId }),
    cloud: () => parseCustomCloud({ name: 'Emulator', resourceManagerEndpoint: emulator.armUrl }),
    filter: () => ({ selected: [] }),
    logger: silentLogger,
    userAgent: 'acr-streaming-bench',
  });
  emulator.requests.reset();
  const started = performance.now();
  try {
    const subscriptions = await catalog.shownSubscriptions();
    const registries = (await Promise.all(subscriptions.map((s) => catalog.registries(s)))).flat();
    const ms = performance.now() - started;
    const armRequests = emulator.requests.snapshot().arm;
    const throttled = await throttledSoFar(emulator);
    return {
      throttled,
      ms,
      subscriptions: subscriptions.length,
      registries: registries.length,
      armRequests,
      allowance: ARM_READ_LIMIT.burst + (ARM_READ_LIMIT.perSecond * ms) / 1000,
    };
  } finally {
    emulator.setFaults([LATENCY_RULE]);
  }
}
