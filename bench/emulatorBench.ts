/**
 * The network rows: one seeded emulator, its latency fault on every request, the project and
 * the az-style baseline side by side, requests counted at the emulator.
 */
import type { EmulatorHandle } from '../emulator';
import { DEFAULTS } from '../src/services/settings';
import { azureDiscoveryBench } from './azureDiscoveryBench';
import { AZURE_SCALE, LATENCY_MS, LATENCY_RULE, MANY_TAGS, measureRtt, startBenchEmulator } from './benchEmulator';
import { BUDGETS } from './budgets';
import type { Result } from './result';
import { baselineBadges, connectToEmulator, projectBadges, type BadgeRun } from './tagBadgesBench';
import { ConversionEnds, trackerDelayBench } from './trackerDelayBench';

const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;

function routes(run: BadgeRun): string {
  return Object.entries(run.requests.byRoute)
    .sort((a, b) => b[1] - a[1])
    .map(([route, count]) => `${route} ×${count}`)
    .join(', ');
}

async function listAllTags(emulator: EmulatorHandle, rtt: number): Promise<{ result: Result; pages: number }> {
  const conn = connectToEmulator(emulator);
  await conn.registry.listTags(MANY_TAGS, { pageSize: 1 }); // the token exchange is not what is measured
  const started = performance.now();
  let continuation: string | undefined;
  let pages = 0;
  let tags = 0;
  do {
    const page = await conn.registry.listTags(MANY_TAGS, { pageSize: DEFAULTS.pageSize, continuation });
    tags += page.items.length;
    pages++;
    continuation = page.continuation;
  } while (continuation);
  const bound = pages * rtt;
  return {
    pages,
    result: {
      name: `list all ${tags.toLocaleString('en')} tags in pages of ${DEFAULTS.pageSize}`,
      value: performance.now() - started,
      unit: 'ms',
      bound,
      goal: '—',
      budget: BUDGETS.listAllTagsMs,
      lowerIsBetter: true,
    },
  };
}

function badgeRows(project: BadgeRun, baseline: BadgeRun, rtt: number): Result[] {
  const c = DEFAULTS.maxConcurrentRequests;
  const n = project.tags;
  const bound = (project.pages + Math.ceil(n / c)) * rtt;
  const firstBound = (1 + Math.ceil(project.firstPageTags / c)) * rtt;
  const perTag = (run: BadgeRun) => (run.requests.registry - run.pages) / run.tags;
  const requestBudget = BUDGETS.badgeRequestsPerTag * n + project.pages;
  return [
    {
      name: `badges, all ${n.toLocaleString('en')} tags: time`,
      value: project.totalMs,
      unit: 'ms',
      baseline: baseline.totalMs,
      bound,
      goal: `≤ baseline/${BUDGETS.allBadgesSpeedup}, ≤ ${BUDGETS.allBadgesVsBound}× bound`,
      budget: Math.min(baseline.totalMs / BUDGETS.allBadgesSpeedup, BUDGETS.allBadgesVsBound * bound),
      lowerIsBetter: true,
    },
    {
      name: 'badges, all tags: speed-up over the baseline',
      value: baseline.totalMs / project.totalMs,
      unit: '×',
      baseline: 1,
      goal: `≥ ${BUDGETS.allBadgesSpeedup}×`,
      budget: BUDGETS.allBadgesSpeedup,
      lowerIsBetter: false,
    },
    {
      name: `badges, all tags: time / bound (c=${c})`,
      value: project.totalMs / bound,
      unit: '×',
      baseline: baseline.totalMs / bound,
      bound: 1,
      goal: `≤ ${BUDGETS.allBadgesVsBound}×`,
      budget: BUDGETS.allBadgesVsBound,
      lowerIsBetter: true,
    },
    {
      name: 'badges, all tags: requests at the emulator',
      value: project.requests.registry,
      unit: '',
      baseline: baseline.requests.registry,
      bound: requestBudget,
      goal: `≤ ${BUDGETS.badgeRequestsPerTag}/tag + pages`,
      budget: requestBudget,
      lowerIsBetter: true,
    },
    {
      name: 'badges, all tags: requests per tag (pages apart)',
      value: perTag(project),
      unit: '',
      baseline: perTag(baseline),
      goal: `≤ ${BUDGETS.badgeRequestsPerTag}`,
      budget: BUDGETS.badgeRequestsPerTag,
      lowerIsBetter: true,
    },
    {
      name: `first ${project.firstPageTags} badges visible`,
      value: project.firstPageMs,
      unit: 'ms',
      baseline: baseline.firstPageMs,
      bound: firstBound,
      goal: `≤ ${BUDGETS.firstPageBadgesMs.toLocaleString('en')} ms`,
      budget: BUDGETS.firstPageBadgesMs,
      lowerIsBetter: true,
    },
  ];
}

export async function emulatorBench(log: (line: string) => void): Promise<Result[]> {
  const ends = new ConversionEnds();
  const started = performance.now();
  const emulator = await startBenchEmulator((line) => ends.line(line));
  log(`emulator: seeded in ${ms(performance.now() - started)}; every request +${LATENCY_MS} ms (latency fault)`);
  try {
    emulator.setFaults([LATENCY_RULE]);
    const rtt = await measureRtt(emulator);
    log(`emulator: RTT ${rtt.toFixed(1)} ms (median of GET /v2/)`);
    const listing = await listAllTags(emulator, rtt);

    const conn = connectToEmulator(emulator);
    await conn.registry.listTags(MANY_TAGS, { pageSize: 1 }); // token exchange before the counting starts
    const project = await projectBadges(emulator, conn);
    log(`badges (project): ${ms(project.totalMs)}, ${project.requests.registry} requests: ${routes(project)}`);
    const baseline = await baselineBadges(emulator, conn);
    log(`badges (baseline): ${ms(baseline.totalMs)}, ${baseline.requests.registry} requests: ${routes(baseline)}`);

    const tracker = await trackerDelayBench(emulator, conn, ends);
    log(
      `tracker: ${tracker.finished}/${tracker.conversions} conversions seen finished; queue drained in ${ms(tracker.drainMs)}; ` +
        `delay p50 ${ms(tracker.p50Ms)}, p95 ${ms(tracker.p95Ms)}, max ${ms(tracker.maxMs)}; ${tracker.statusRequests} status requests (fixed 15 s poll: ${tracker.fixedPollRequests})`,
    );

    const azure = await azureDiscoveryBench(emulator);
    log(`azure: ${azure.subscriptions} subscriptions, ${azure.registries} registries in ${ms(azure.ms)}; ${azure.armRequests} ARM requests, ${azure.throttled} refused (429)`);

    const missing = tracker.conversions - tracker.finished;
    return [
      { name: 'emulator round trip (RTT)', value: rtt, unit: 'ms', goal: `${LATENCY_MS} ms injected`, lowerIsBetter: true },
      listing.result,
      ...badgeRows(project, baseline, rtt),
      { name: `tracker delay p50 (${tracker.conversions} queued, 2 at a time)`, value: tracker.p50Ms, unit: 'ms', goal: '—', lowerIsBetter: true },
      {
        name: `tracker delay p95${missing ? ` (${missing} never seen: counted as over)` : ''}`,
        value: missing ? Number.POSITIVE_INFINITY : tracker.p95Ms,
        unit: 'ms',
        goal: `≤ ${BUDGETS.trackerDelayP95Ms.toLocaleString('en')} ms`,
        budget: BUDGETS.trackerDelayP95Ms,
        lowerIsBetter: true,
      },
      {
        name: 'tracker status requests (baseline: fixed 15 s poll)',
        value: tracker.statusRequests,
        unit: '',
        baseline: tracker.fixedPollRequests,
        goal: `≤ ${BUDGETS.trackerRequestsVsFixedPoll}× fixed poll`,
        budget: BUDGETS.trackerRequestsVsFixedPoll * tracker.fixedPollRequests,
        lowerIsBetter: true,
      },
      {
        name: `Azure discovery, ${AZURE_SCALE.subscriptions} subs × ${AZURE_SCALE.registriesPerSubscription} registries`,
        value: azure.ms,
        unit: 'ms',
        goal: `≤ ${BUDGETS.azureDiscoveryMs.toLocaleString('en')} ms`,
        budget: BUDGETS.azureDiscoveryMs,
        lowerIsBetter: true,
      },
      {
        name: 'Azure discovery: ARM reads (bound: 250 + 25/s allowance)',
        value: azure.armRequests,
        unit: '',
        bound: azure.allowance,
        goal: 'within ARM read limits',
        budget: azure.allowance,
        lowerIsBetter: true,
      },
      { name: 'Azure discovery: ARM reads refused (429)', value: azure.throttled, unit: '', goal: '0', budget: 0, lowerIsBetter: true },
    ];
  } finally {
    await emulator.stop();
  }
}
