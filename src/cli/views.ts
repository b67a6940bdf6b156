/** The CLI's view of each kind of result: a JSON shape and lines for people. */
import type { BadgeState } from '../core/badge/badgeState';
import { describeBadge } from '../core/badge/describeBadge';
import { formatPlatform } from '../core/badge/preflight';
import { CONVERSION_FAILURE_HINTS, isConversionFailureCode } from '../core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../core/mediaTypes';
import type { Descriptor, RepositoryStreamingState, StreamingOperation } from '../core/models';
import { cell, formatBytes, renderFields, renderTable, type CommandResult } from './output';

export interface OperationJson {
  id: string;
  repository: string;
  digest?: string;
  name?: string;
  status: StreamingOperation['status'];
  progress: number;
  startTime?: string;
  details?: string;
  errorCode?: string;
  /** What to do about `errorCode`, when it is one of ACR's documented codes. */
  hint?: string;
}

export function operationJson(op: StreamingOperation): OperationJson {
  return {
    id: op.id,
    repository: op.repository,
    digest: op.digest,
    name: op.name,
    status: op.status,
    progress: op.progress,
    startTime: op.startTime,
    details: op.details,
    errorCode: op.errorCode,
    hint: isConversionFailureCode(op.errorCode) ? CONVERSION_FAILURE_HINTS[op.errorCode] : undefined,
  };
}

export function operationLines(op: StreamingOperation): string[] {
  const json = operationJson(op);
  return renderFields([
    ['Operation', json.id],
    ['Image', json.digest ? `${json.repository}@${json.digest}` : json.repository],
    ['Status', json.status],
    ['Progress', `${json.progress}%`],
    ['Started', json.startTime],
    ['Details', json.details],
    ['Error', json.errorCode],
    ['Hint', json.hint],
  ]);
}

export function operationResult(op: StreamingOperation): CommandResult {
  return { data: operationJson(op), lines: operationLines(op) };
}

export function repositoryStateResult(state: RepositoryStreamingState): CommandResult {
  const active = state.convertPushedImages;
  const format = [state.conversionFormat, state.conversionVersion].filter((part) => part).join(' ');
  return {
    data: {
      repository: state.repository,
      state: active ? 'Active' : 'Inactive',
      convertPushedImages: active,
      conversionFormat: state.conversionFormat,
      conversionVersion: state.conversionVersion,
    },
    lines: renderFields([
      ['Repository', state.repository],
      ['Streaming', active ? 'Active (new pushes are converted)' : 'Inactive (new pushes are not converted)'],
      ['Format', format],
    ]),
  };
}

/** "overlaybd v1, linux/amd64" for a streaming artifact; platform or creation time otherwise. */
export function descriptorDetails(d: Descriptor): string {
  const a = d.annotations ?? {};
  if (d.artifactType === STREAMING_ARTIFACT_TYPE) {
    const format = [a['streaming.format'], a['streaming.version']].filter((v) => v).join(' ');
    const platform = [a['streaming.platform.os'], a['streaming.platform.arch']].filter((v) => v).join('/');
    return [format, platform].filter((v) => v).join(', ');
  }
  if (d.platform) {
    return formatPlatform(d.platform);
  }
  const created = a['org.opencontainers.image.created'];
  return created ? `created ${created}` : '';
}

export function descriptorJson(d: Descriptor): Descriptor {
  return { digest: d.digest, mediaType: d.mediaType, artifactType: d.artifactType, size: d.size, annotations: d.annotations, platform: d.platform };
}

export function referrersResult(image: string, digest: string, referrers: Descriptor[], artifactType?: string): CommandResult {
  const filter = artifactType ? ` of type ${artifactType}` : '';
  const lines =
    referrers.length === 0
      ? [`${image} (${digest}) has no referrers${filter}.`]
      : renderTable(
          ['DIGEST', 'ARTIFACT TYPE', 'SIZE', 'DETAILS'],
          referrers.map((d) => [d.digest, d.artifactType ?? d.mediaType, formatBytes(d.size), descriptorDetails(d)]),
        );
  return { data: { image, digest, artifactType, referrers: referrers.map(descriptorJson) }, lines };
}

export interface BadgeJson {
  image: string;
  digest: string;
  state: BadgeState['kind'];
  summary: string;
  detail: string;
  code?: string;
  reason?: string;
  platforms?: string[];
  progress?: number;
  operation?: OperationJson;
  artifacts?: Descriptor[];
}

export function badgeResult(image: string, digest: string, badge: BadgeState): CommandResult {
  const words = describeBadge(badge);
  const data: BadgeJson = { image, digest, state: badge.kind, summary: words.short, detail: words.detail };
  switch (badge.kind) {
    case 'streamed':
      data.artifacts = badge.artifacts.map(descriptorJson);
      break;
    case 'converting':
      data.progress = badge.progress;
      data.operation = operationJson(badge.operation);
      break;
    case 'failed':
      data.code = badge.code;
      data.operation = operationJson(badge.operation);
      break;
    case 'not-converted':
      data.operation = badge.lastOperation ? operationJson(badge.lastOperation) : undefined;
      break;
    case 'unsupported':
      data.code = badge.code;
      data.reason = badge.reason;
      data.platforms = badge.platforms;
      break;
  }
  return {
    data,
    lines: renderFields([
      ['Image', image],
      ['Digest', digest],
      ['State', words.short],
      ['Operation', data.operation?.id],
      ['Reason', cell(words.detail, 1_000)],
    ]),
  };
}
