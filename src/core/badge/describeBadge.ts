/** Words for a badge: a short label for a tree description and plain-text detail for a tooltip. */
import { CONVERSION_FAILURE_HINTS } from '../errors';
import type { Descriptor } from '../models';
import type { BadgeState } from './badgeState';
import { oneLine, SUPPORTED_PLATFORM } from './preflight';

export interface BadgeDescription {
  /** e.g. 'streamed', 'converting 40%', 'failed: UNSUPPORTED_PLATFORM', 'not converted'. */
  short: string;
  /** What happened and what to do, plain text (callers escape it for their medium). */
  detail: string;
}

const MAX_SHORT_PLATFORMS = 2;

/** Annotation values are registry (attacker-controlled) text. */
function clean(text: string, max = 80): string {
  return oneLine(text, max);
}

function describeArtifact(artifact: Descriptor): string {
  const a = artifact.annotations ?? {};
  const format = [a['streaming.format'], a['streaming.version']].filter((v) => v).map((v) => clean(v)).join(' ');
  const platform = [a['streaming.platform.os'], a['streaming.platform.arch']].filter((v) => v).map((v) => clean(v)).join('/');
  const facts = [format, platform].filter((v) => v);
  return facts.length > 0 ? `${artifact.digest} (${facts.join(', ')})` : artifact.digest;
}

function shortPlatforms(platforms: string[]): string {
  if (platforms.length === 0) {
    return `no ${SUPPORTED_PLATFORM}`;
  }
  const shown = platforms.slice(0, MAX_SHORT_PLATFORMS).join(', ');
  const more = platforms.length > MAX_SHORT_PLATFORMS ? ` +${platforms.length - MAX_SHORT_PLATFORMS}` : '';
  return `${shown}${more} only`;
}

export function describeBadge(state: BadgeState): BadgeDescription {
  switch (state.kind) {
    case 'streamed': {
      const list = state.artifacts.map(describeArtifact).join('; ');
      const noun = state.artifacts.length === 1 ? 'A streaming artifact exists' : `${state.artifacts.length} streaming artifacts exist`;
      return {
        short: 'streamed',
        detail: `${noun}: ${list}. AKS node pools with artifact streaming enabled pull this image lazily; nothing else to do.`,
      };
    }
    case 'converting': {
      const op = state.operation;
      const queued = op.status === 'NotStarted';
      const started = op.startTime ? `, started ${clean(op.startTime, 40)}` : '';
      return {
        short: queued ? 'converting (queued)' : `converting ${state.progress}%`,
        detail:
          `Conversion ${op.id} is ${queued ? 'queued' : `running (${state.progress}%)`}${started}. ` +
          'The badge turns to "streamed" when it finishes; cancel the operation to stop it.',
      };
    }
    case 'failed':
      return {
        short: `failed: ${state.code}`,
        detail: `${state.message} (${state.code}, operation ${state.operation.id}) ${state.hint}`,
      };
    case 'not-converted': {
      const last = state.lastOperation;
      let detail = 'This image has no streaming artifact. Convert it to create one, or turn on auto-conversion for the repository so new pushes are converted.';
      if (last?.status === 'Canceled') {
        detail = `The last conversion (operation ${last.id}) was cancelled. Convert the image again to create a streaming artifact.`;
      } else if (last?.status === 'Succeeded') {
        detail = `The last conversion (operation ${last.id}) succeeded, but no streaming artifact refers to this image now; it may have been deleted. Convert the image again to recreate it.`;
      }
      return { short: 'not converted', detail };
    }
    case 'unsupported': {
      const short: Record<typeof state.reason, string> = {
        platform: shortPlatforms(state.platforms ?? []),
        'media-type': 'media type',
        'streaming-artifact': 'streaming artifact',
        'non-runnable': 'not runnable',
      };
      return {
        short: `not convertible: ${short[state.reason]}`,
        detail: `${state.message} ${CONVERSION_FAILURE_HINTS[state.code]}`,
      };
    }
  }
}
