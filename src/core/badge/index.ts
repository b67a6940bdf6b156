/** Streaming badges: computed in one place, loaded one at a time or through the service. */
export type { BadgeKind, BadgeState, UnsupportedFinding, UnsupportedReason } from './badgeState';
export { assertConvertible, findUnsupportedReason, formatPlatform, isIndex, isLinuxAmd64, linuxAmd64Children, oneLine, SUPPORTED_PLATFORM } from './preflight';
export { computeBadge, isStreamingArtifact } from './computeBadge';
export type { BadgeInput } from './computeBadge';
export { describeBadge } from './describeBadge';
export type { BadgeDescription } from './describeBadge';
export { assertManifestMatches, listStreamingReferrers, loadBadge, loadBadgeSignals } from './loadBadge';
export type { BadgeSignals, LoadedBadge } from './loadBadge';
export { BadgeService } from './badgeService';
export { abortable, cancelledError, sleep, throwIfAborted } from './abort';
export type { BadgeLookup, BadgeRequestOptions, BadgeServiceOptions } from './badgeService';
