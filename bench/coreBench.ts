/** Benchmarks of the pure core: no network, no VS Code. */
import { computeBadge } from '../src/core/badge';
import { OperationTracker } from '../src/core/tracker';
import { parseImageReference } from '../src/core/reference';
import { FakeClock } from '../test/unit/support/fakeClock';
import { FakeStreaming } from '../test/unit/support/fakeStreaming';
import { imageManifest, indexManifest, LINUX_AMD64, LINUX_ARM64, streamingDescriptor } from '../test/unit/support/fixtures';
import { BUDGETS } from './budgets';
import type { Result } from './result';

export async function trackerBench(): Promise<Result[]> {
  const streaming = new FakeStreaming('bench.azurecr.io');
  const clock = new FakeClock();
  const tracker = new OperationTracker({ resolveStreaming: () => streaming, clock, policy: { initialDelayMs: 1000, maxDelayMs: 1000, maxConcurrentPolls: 8 } });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const count = 1000;
  for (let i = 0; i < count; i++) {
    const op = streaming.addOperation('bench/repo', `sha256:${i.toString(16).padStart(64, '0')}`, { status: 'Running', progress: 10 });
    tracker.track('bench.azurecr.io', op, { image: `bench/repo:t${i}` });
  }
  let events = 0;
  tracker.onEvent(() => events++);
  const rounds = 5;
  const started = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    await clock.advance(1000);
  }
  const cpu = process.cpuUsage(started);
  const perRoundMs = (cpu.user + cpu.system) / 1000 / rounds;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const timers = clock.pendingTimers;
  tracker.dispose();
  return [
    { name: `tracker: one polling round over ${count} operations (${events} events)`, value: perRoundMs, unit: 'ms', budget: BUDGETS.trackerRoundMs, lowerIsBetter: true },
    { name: `tracker: heap for ${count} tracked operations`, value: heapMb, unit: 'MB', budget: BUDGETS.trackerHeapMb, lowerIsBetter: true },
    { name: 'tracker: timers armed at once', value: timers, unit: '', budget: 1, lowerIsBetter: true },
  ];
}

/** CPU time, not wall time: other processes on a busy machine do not count against the code. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

export function badgeBench(): Result[] {
  const inputs = [
    { manifest: imageManifest('a'), streamingReferrers: [streamingDescriptor('a')] },
    { manifest: imageManifest('b'), streamingReferrers: [] },
    { manifest: indexManifest('c', [{ label: 'c1', platform: LINUX_AMD64 }, { label: 'c2', platform: LINUX_ARM64 }]), streamingReferrers: [] },
    { manifest: indexManifest('d', [{ label: 'd1', platform: LINUX_ARM64 }]), streamingReferrers: [] },
  ];
  const n = 200_000;
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    computeBadge(inputs[i % inputs.length]);
  }
  return [{ name: 'badges computed (per CPU second)', value: n / cpuSeconds(started), unit: '/s', budget: BUDGETS.badgesPerSecond, lowerIsBetter: false }];
}

export function referenceBench(): Result[] {
  const refs = ['samples/hello:1.0', `myreg.azurecr.io/team/app@sha256:${'a'.repeat(64)}`, '127.0.0.1:5000/x/y/z:latest'];
  const n = 300_000;
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    parseImageReference(refs[i % refs.length]);
  }
  return [{ name: 'image references parsed (per CPU second)', value: n / cpuSeconds(started), unit: '/s', budget: BUDGETS.referencesPerSecond, lowerIsBetter: false }];
}
