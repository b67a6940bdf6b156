/**
 * The panel's data, from the tracker (operations) and the registry sessions (referrers), plus
 * the cancel action the panel and the Cancel Operation command share.
 */
import type { StreamingApi } from '../core/api';
import { AcrStreamingError } from '../core/errors';
import type { Descriptor, StreamingOperation } from '../core/models';
import type { TrackedOperation, TrackerEvent, TrackMeta } from '../core/tracker';
import type { PanelDataSource } from '../panel/panelDataSource';
import type { Disposable } from './emitter';

/** The part of OperationTracker used here. */
export interface TrackerLike {
  list(): TrackedOperation[];
  get(key: string): TrackedOperation | undefined;
  track(loginServer: string, operation: StreamingOperation, meta?: TrackMeta): TrackedOperation;
  onEvent(listener: (event: TrackerEvent) => void): Disposable;
}

export interface StreamingSessions {
  session(loginServer: string): Promise<{ streaming: StreamingApi }>;
}

export class StreamingDataSource implements PanelDataSource {
  constructor(
    private readonly tracker: TrackerLike,
    private readonly sessions: StreamingSessions,
  ) {}

  listOperations(): TrackedOperation[] {
    return this.tracker.list();
  }

  onDidChangeOperations(listener: () => void): Disposable {
    return this.tracker.onEvent(() => listener());
  }

  async listReferrers(loginServer: string, repository: string, digest: string, signal: AbortSignal): Promise<Descriptor[]> {
    const { streaming } = await this.sessions.session(loginServer);
    return streaming.listReferrers(repository, digest, { signal });
  }

  async cancelOperation(key: string): Promise<void> {
    await this.cancel(key);
  }

  /** Asks the registry to cancel a tracked operation; the tracker records the answer. */
  async cancel(key: string, signal?: AbortSignal): Promise<TrackedOperation> {
    const tracked = this.tracker.get(key);
    if (!tracked) {
      throw new AcrStreamingError('NOT_FOUND', 'That operation is no longer tracked.', { hint: 'Refresh the tree to see the image\'s current state.' });
    }
    const { streaming } = await this.sessions.session(tracked.loginServer);
    const reply = await streaming.cancelOperation(tracked.repository, tracked.operationId, { signal });
    // The cancel reply names no id (ACR's shape): keep the tracked one.
    return this.tracker.track(
      tracked.loginServer,
      { ...reply, id: tracked.operationId, repository: tracked.repository, digest: tracked.digest ?? reply.digest },
      { image: tracked.image, digest: tracked.digest },
    );
  }
}
