/**
 * Keeps tag badges in step with the tracker, the one owner of running operations: progress is
 * shown from the events alone (no request), and when a conversion ends the image's badge is
 * read again from the registry (streamed, failed or not converted).
 */
import type { BadgeState } from '../core/badge/badgeState';
import { hasRegistryStatus, toStreamingOperation, type TrackerEvent } from '../core/tracker/trackedOperation';
import type { Disposable } from '../services/emitter';

/** What the sync needs of the tree model. */
export interface BadgeTarget {
  setBadge(loginServer: string, repository: string, digest: string, badge: BadgeState): void;
  reloadBadges(loginServer: string, repository: string, digest: string): void;
}


/** The badge a running operation implies, or undefined when the registry must be asked. */
export function badgeForEvent(event: TrackerEvent): BadgeState | undefined {
  const op = event.operation;
  if (event.type === 'removed' || !hasRegistryStatus(op) || (op.status !== 'NotStarted' && op.status !== 'Running')) {
    return undefined;
  }
  return { kind: 'converting', progress: Math.round(op.progress), operation: toStreamingOperation(op) };
}

export function syncBadgesWithTracker(tracker: { onEvent(listener: (event: TrackerEvent) => void): Disposable }, tree: BadgeTarget): Disposable {
  return tracker.onEvent((event) => {
    const { loginServer, repository, digest } = event.operation;
    if (!digest || event.type === 'removed') {
      return;
    }
    const badge = badgeForEvent(event);
    if (badge) {
      tree.setBadge(loginServer, repository, digest, badge);
    } else if (event.type === 'finished' || event.type === 'added' || event.operation.status === 'Unknown') {
      // A conversion ended (or a restored one had already ended, or the registry lost it): ask the registry.
      tree.reloadBadges(loginServer, repository, digest);
    }
  });
}
