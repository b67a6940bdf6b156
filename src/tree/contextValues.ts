/**
 * Every `contextValue` a tree node can carry, in one module. package.json menus match them with
 * `viewItem =~ /…/`, so a value is a kind and a facet joined by a dot: `tag.streamed`,
 * `repository.active`. Commands never parse these; they receive typed nodes.
 */
import type { BadgeState } from '../core/badge/badgeState';

export const ContextValue = {
  azureSignedIn: 'azure.signedIn',
  azureSignedOut: 'azure.signedOut',
  subscription: 'subscription',
  /** A registry discovered through Azure Resource Manager; `.error` when it could not be listed. */
  azureRegistry: 'azureRegistry',
  azureRegistryError: 'azureRegistry.error',
  registry: 'registry',
  /** The registry answered 401: the node offers "Sign in…". */
  registrySignIn: 'registry.signin',
  /** The registry could not be listed for another reason (network, 403, …). */
  registryError: 'registry.error',
  repositoryActive: 'repository.active',
  repositoryInactive: 'repository.inactive',
  /** Streaming state not known yet (or not readable). */
  repositoryUnknown: 'repository.unknown',
  /** Badge still loading. */
  tagLoading: 'tag.loading',
  /** Never converted (or cancelled): a conversion can be started. */
  tagConvertible: 'tag.convertible',
  tagConverting: 'tag.converting',
  tagStreamed: 'tag.streamed',
  tagFailed: 'tag.failed',
  tagUnsupported: 'tag.unsupported',
  /** The registry cannot stream (not Premium, customer-managed keys): Create explains why. */
  tagBlocked: 'tag.blocked',
  referrer: 'referrer',
  loadMore: 'loadMore',
  message: 'message',
} as const;

export type ContextValueName = (typeof ContextValue)[keyof typeof ContextValue];

export function tagContextValue(badge: BadgeState | undefined): ContextValueName {
  switch (badge?.kind) {
    case undefined:
      return ContextValue.tagLoading;
    case 'streamed':
      return ContextValue.tagStreamed;
    case 'converting':
      return ContextValue.tagConverting;
    case 'failed':
      return ContextValue.tagFailed;
    case 'not-converted':
      return ContextValue.tagConvertible;
    case 'unsupported':
      return ContextValue.tagUnsupported;
  }
}

export function repositoryContextValue(autoConversion: boolean | undefined): ContextValueName {
  if (autoConversion === undefined) {
    return ContextValue.repositoryUnknown;
  }
  return autoConversion ? ContextValue.repositoryActive : ContextValue.repositoryInactive;
}

/**
 * The `viewItem =~ /…/` regexes package.json menus use, per command. A unit test checks that
 * package.json says exactly these and that each matches the values it should.
 */
export const MenuPattern = {
  /** Tags a conversion may start for (failed ones retry; loading ones are checked first), and repositories. */
  createStreamingArtifact: '^(tag\\.(convertible|failed|loading|blocked)|repository\\.)',
  showOperation: '^tag\\.(converting|failed|streamed|convertible)$',
  cancelOperation: '^tag\\.converting$',
  showReferrers: '^tag\\.',
  startArtifactStreaming: '^repository\\.(inactive|unknown)$',
  stopArtifactStreaming: '^repository\\.(active|unknown)$',
  signInInline: '^registry\\.signin$',
  registry: '^registry(\\.|$)',
  refresh: '^(azure|subscription|azureRegistry|registry|repository|tag)(\\.|$)',
  azureRegistry: '^azureRegistry(\\.|$)',
  signOutOfAzure: '^azure\\.signedIn$',
  signInToAzure: '^azure\\.signedOut$',
  selectSubscriptions: '^azure\\.signedIn$',
  deleteTag: '^tag\\.',
  copy: '^(tag\\.|referrer$)',
} as const;
