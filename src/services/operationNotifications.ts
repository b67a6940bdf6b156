/** The notification raised when a tracked conversion ends, as plain data. */
import { CONVERSION_FAILURE_HINTS, isConversionFailureCode } from '../core/errors';
import type { TrackerEvent } from '../core/tracker/trackedOperation';

export interface NotificationAction {
  title: string;
  command: string;
  args: unknown[];
}

export interface OperationNotification {
  severity: 'info' | 'error';
  message: string;
  actions: NotificationAction[];
}

/** Focus for the panel and "Show Referrers": an image in a registry. */
export interface ImageFocus {
  loginServer: string;
  repository: string;
  digest: string;
  image?: string;
}

/** The notification for a tracker event, or undefined when the event needs none. */
export function notificationFor(event: TrackerEvent): OperationNotification | undefined {
  if (event.type !== 'finished') {
    return undefined;
  }
  const op = event.operation;
  const image = op.image ?? (op.digest ? `${op.repository}@${op.digest}` : op.repository);
  const focus: ImageFocus | undefined = op.digest ? { loginServer: op.loginServer, repository: op.repository, digest: op.digest, image: op.image } : undefined;
  switch (op.status) {
    case 'Succeeded':
      return {
        severity: 'info',
        message: `Streaming artifact ready for ${image} (${op.loginServer}).`,
        actions: focus ? [{ title: 'Show Referrers', command: 'acrStreaming.showReferrers', args: [focus] }] : [],
      };
    case 'Failed': {
      const code = op.errorCode ?? 'UNKNOWN_ERROR';
      const hint = isConversionFailureCode(code) ? CONVERSION_FAILURE_HINTS[code] : 'Open the panel for the operation details.';
      return {
        severity: 'error',
        message: `Converting ${image} (${op.loginServer}) failed: ${code}. ${hint}`,
        actions: [{ title: 'Show Error', command: 'acrStreaming.openStreamingPanel', args: focus ? [focus] : [] }],
      };
    }
    default:
      // Cancelled: the user did it (or saw it in the panel); no toast.
      return undefined;
  }
}
