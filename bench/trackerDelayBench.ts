/**
 * How long after a conversion finishes the tracker says so (what moves the tree and status
 * bar): 200 conversions queued at the emulator (it runs 2 at a time), tracked by the core's
 * OperationTracker with the default poll policy. The emulator's own end time is when it logs
 * "conversion <id> succeeded|failed", right after it marks the operation finished.
 */
import type { RegistryConnection } from '../src/core/connection';
import type { StreamingOperation } from '../src/core/models';
import { OperationTracker } from '../src/core/tracker';
import { DEFAULTS } from '../src/services/settings';
import type { EmulatorHandle } from '../emulator';
import { MANY_TAGS, percentile } from './benchEmulator';

export const TRACKED_CONVERSIONS = 200;
const FIXED_POLL_MS = 15_000;
// Generous: on a loaded 2-core machine a conversion takes seconds, not a few hundred ms.
const TIMEOUT_MS = 480_000;
const FINISHED_LINE = /^conversion (\S+) (succeeded|failed)/;

export interface TrackerDelayRun {
  conversions: number;
  finished: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  statusRequests: number;
  fixedPollRequests: number;
  drainMs: number;
}

/** Feeds the emulator's log lines in; remembers when each conversion ended. */
export class ConversionEnds {
  readonly at = new Map<string, number>();

  line(text: string): void {
    const match = FINISHED_LINE.exec(text);
    if (match) {
      this.at.set(match[1], performance.now());
    }
  }
}

export async function trackerDelayBench(emulator: EmulatorHandle, conn: RegistryConnection, ends: ConversionEnds): Promise<TrackerDelayRun> {
  const digests: string[] = [];
  let continuation: string | undefined;
  while (digests.length < TRACKED_CONVERSIONS) {
    const page = await conn.registry.listTags(MANY_TAGS, { pageSize: DEFAULTS.pageSize, continuation });
    digests.push(...page.items.map((tag) => tag.digest));
    continuation = page.continuation;
    if (!continuation) {
      break;
    }
  }
  digests.length = Math.min(digests.length, TRACKED_CONVERSIONS);
  // Unthrottled: a conversion of the small sample layer then costs the emulator's own work
  // (a few hundred ms; seconds on a loaded machine), so 200 take a minute or more, 2 at a time.
  emulator.setConversionSpeed(0);

  const tracker = new OperationTracker({
    resolveStreaming: () => conn.streaming,
    policy: {
      initialDelayMs: DEFAULTS.pollIntervalMinSeconds * 1000,
      maxDelayMs: DEFAULTS.pollIntervalMaxSeconds * 1000,
      maxConcurrentPolls: DEFAULTS.maxConcurrentRequests,
    },
  });
  const trackedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let allSeen!: () => void;
  const everyoneSeen = new Promise<void>((resolve) => (allSeen = resolve));
  tracker.onEvent((event) => {
    if (event.type === 'finished' && !seenAt.has(event.operation.operationId)) {
      seenAt.set(event.operation.operationId, performance.now());
      if (seenAt.size === trackedAt.size && trackedAt.size === digests.length) {
        allSeen();
      }
    }
  });
  emulator.requests.reset();
  const started = performance.now();
  try {
    // Asked for the way a bulk "Create Streaming Artifact" does: a few at a time, each tracked at once.
    const queue = [...digests];
    await Promise.all(
      Array.from({ length: DEFAULTS.maxConcurrentRequests }, async () => {
        for (let digest = queue.shift(); digest !== undefined; digest = queue.shift()) {
          const operation: StreamingOperation = await conn.streaming.startConversion(MANY_TAGS, digest);
          trackedAt.set(operation.id, performance.now());
          tracker.track(emulator.loginServer, operation, { digest });
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([everyoneSeen, new Promise<void>((resolve) => (timer = setTimeout(resolve, TIMEOUT_MS)))]);
    clearTimeout(timer);
  } finally {
    tracker.dispose();
  }
  const drainMs = performance.now() - started;
  const delays: number[] = [];
  let fixedPollRequests = 0;
  for (const [id, tracked] of trackedAt) {
    const end = ends.at.get(id);
    const seen = seenAt.get(id);
    if (end === undefined || seen === undefined) {
      continue;
    }
    delays.push(seen - end);
    // A fixed poll asks every 15 s from tracking until it sees the end.
    fixedPollRequests += Math.max(1, Math.ceil((end - tracked) / FIXED_POLL_MS));
  }
  const statusRequests = emulator.requests.snapshot().byRoute['GET /acr/v1/…/_operations/…'] ?? 0;
  return {
    conversions: trackedAt.size,
    finished: delays.length,
    p50Ms: percentile(delays, 50),
    p95Ms: percentile(delays, 95),
    maxMs: Math.max(...delays),
    statusRequests,
    fixedPollRequests,
    drainMs,
  };
}
