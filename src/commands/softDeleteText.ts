/**
 * What soft delete means for an untag or a deletion, in one paragraph for a confirmation.
 * Streaming artifacts are deleted with their image and are not among what soft delete restores.
 */
export type SoftDelete = { kind: 'on'; retentionDays?: number } | { kind: 'off' } | { kind: 'unknown' };

export function softDeleteLine(softDelete: SoftDelete, action: 'untag' | 'delete'): string {
  const days = softDelete.kind === 'on' && softDelete.retentionDays ? ` for ${softDelete.retentionDays} days` : '';
  if (action === 'untag') {
    switch (softDelete.kind) {
      case 'on':
        return `Soft delete is on: the tag can be restored${days}.`;
      case 'off':
        return 'Soft delete is off: the tag cannot be restored; tag the image again to bring the name back.';
      case 'unknown':
        return 'If soft delete is on for this registry, the tag can be restored during its retention period; otherwise it cannot.';
    }
  }
  switch (softDelete.kind) {
    case 'on':
      return `Soft delete is on: the image can be restored${days}, but its streaming artifacts cannot; convert it again after restoring it.`;
    case 'off':
      return 'Soft delete is off: this cannot be undone.';
    case 'unknown':
      return 'If soft delete is on for this registry, only the image itself can be restored during retention, not its streaming artifacts; otherwise this cannot be undone.';
  }
}

