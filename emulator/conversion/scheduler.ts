/**
 * The one conversion scheduler: at most `concurrency` conversions run at once, the rest wait
 * as NotStarted. One image is never converted twice at the same time: asking again while a
 * conversion is NotStarted/Running returns that operation. Pre-checks run at once (not in the
 * queue), so a bad request fails fast even when the slots are busy.
 */
import type { ConversionFailureCode } from '../../src/core/errors';
import type { OperationRecord } from '../operations/operation';
import type { OperationStore } from '../operations/operationStore';
import type { RegistryMetadata } from '../registry/metadataCache';
import { failureOf } from './conversionFailure';
import { resolveConversionSource, type ConversionSource } from './precheck';

export type ConversionRunner = (
  repository: string,
  source: ConversionSource,
  signal: AbortSignal,
  reportProgress: (percent: number) => void,
) => Promise<string>;

export interface SchedulerDeps {
  operations: OperationStore;
  metadata: RegistryMetadata;
  run: ConversionRunner;
  log: (line: string) => void;
  concurrency?: number;
}

export type CancelResult = { result: 'canceled'; operation: OperationRecord } | { result: 'finished'; operation: OperationRecord };

export class ConversionScheduler {
  private readonly concurrency: number;
  /** In request order; `source` is set once the pre-check has resolved the image. */
  private queue: Array<{ id: string; source?: ConversionSource }> = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.concurrency = deps.concurrency ?? 2;
  }

  /** Starts converting `repository@digest`, or returns the conversion of it already under way. */
  start(repository: string, digest: string, automatic = false): { operation: OperationRecord; created: boolean } {
    const ongoing = this.deps.operations.ongoingForDigest(repository, digest);
    if (ongoing) {
      return { operation: ongoing, created: false };
    }
    const operation = this.deps.operations.create({
      kind: 'conversion',
      repository,
      digest,
      status: 'NotStarted',
      details: `Conversion started for resource ${repository}@${digest}`,
      automatic,
    });
    this.deps.log(`conversion ${operation.id} of ${repository}@${digest} requested${automatic ? ' (auto)' : ''}`);
    this.enqueue(operation);
    return { operation, created: true };
  }

  cancel(operation: OperationRecord): CancelResult {
    if (operation.status === 'NotStarted' || operation.status === 'Running') {
      this.deps.operations.update(operation.id, { status: 'Canceled' });
      this.queue = this.queue.filter((item) => item.id !== operation.id);
      this.running.get(operation.id)?.controller.abort(new Error('canceled'));
      this.deps.log(`conversion ${operation.id} canceled`);
      return { result: 'canceled', operation };
    }
    return { result: operation.status === 'Canceled' ? 'canceled' : 'finished', operation };
  }

  /** Restarts, from 0, the conversions that were under way when the emulator last stopped. */
  resume(): void {
    for (const operation of this.deps.operations.ongoing()) {
      this.deps.operations.update(operation.id, { status: 'NotStarted', progress: 0 });
      this.deps.log(`resuming conversion ${operation.id} of ${operation.repository}@${operation.digest ?? ''}`);
      this.enqueue(operation);
    }
  }

  /** Stops the work without touching the operations' statuses (they resume on the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    const running = [...this.running.values()];
    for (const job of running) {
      job.controller.abort(new Error('emulator stopping'));
    }
    await Promise.all(running.map((job) => job.done));
  }

  /**
   * Takes its place in the queue at once (conversions start in the order they were asked for),
   * and runs its pre-check meanwhile: its turn waits for the pre-check, later ones wait for it.
   */
  private enqueue(operation: OperationRecord): void {
    const entry: { id: string; source?: ConversionSource } = { id: operation.id };
    this.queue.push(entry);
    void this.admit(operation, entry);
  }

  private async admit(operation: OperationRecord, entry: { id: string; source?: ConversionSource }): Promise<void> {
    try {
      entry.source = await resolveConversionSource(this.deps.metadata, operation.repository, operation.digest ?? '');
    } catch (error) {
      this.queue = this.queue.filter((item) => item !== entry);
      if (!this.stopped && operation.status === 'NotStarted') {
        this.fail(operation, error);
      }
      this.pump();
      return;
    }
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.concurrency && this.queue.length > 0) {
      const head = this.queue[0];
      const operation = this.deps.operations.byIdAnyRepository(head.id);
      if (operation && operation.status === 'NotStarted' && !head.source) {
        return; // its pre-check is still running; the ones behind it wait their turn
      }
      this.queue.shift();
      if (!operation || operation.status !== 'NotStarted' || !head.source) {
        continue; // cancelled (or failed) while it waited
      }
      const controller = new AbortController();
      const done = this.execute(operation, head.source, controller.signal).finally(() => {
        this.running.delete(operation.id);
        this.pump();
      });
      this.running.set(operation.id, { controller, done });
    }
  }

  private async execute(operation: OperationRecord, source: ConversionSource, signal: AbortSignal): Promise<void> {
    const { operations } = this.deps;
    operations.update(operation.id, { status: 'Running', progress: 0 });
    try {
      const artifact = await this.deps.run(operation.repository, source, signal, (percent) => {
        if (operation.status === 'Running' && percent !== operation.progress) {
          operations.update(operation.id, { progress: percent });
        }
      });
      if (operation.status === 'Running') {
        operations.update(operation.id, {
          status: 'Succeeded',
          progress: 100,
          artifactDigest: artifact,
          details: `Conversion completed for resource ${operation.repository}@${operation.digest ?? ''}: streaming artifact ${artifact}`,
        });
        this.deps.log(`conversion ${operation.id} succeeded: ${artifact}`);
      }
    } catch (error) {
      // Aborted: canceled (status already set) or stopping (status kept, resumed later).
      if (!signal.aborted && operation.status === 'Running') {
        this.fail(operation, error);
      }
    }
  }

  private fail(operation: OperationRecord, error: unknown): void {
    const { code, message } = failureOf(error);
    this.failWith(operation, code, message);
  }

  private failWith(operation: OperationRecord, code: ConversionFailureCode, message: string): void {
    this.deps.operations.update(operation.id, { status: 'Failed', details: `${code}: ${message}`, error: { code, message } });
    this.deps.log(`conversion ${operation.id} failed: ${code}: ${message}`);
  }
}
