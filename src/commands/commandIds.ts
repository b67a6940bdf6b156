/** Every command id the extension registers; package.json declares the same (a unit test checks). */
export const COMMAND_IDS = [
  'acrStreaming.createStreamingArtifact',
  'acrStreaming.startArtifactStreaming',
  'acrStreaming.stopArtifactStreaming',
  'acrStreaming.showOperation',
  'acrStreaming.cancelOperation',
  'acrStreaming.showReferrers',
  'acrStreaming.refresh',
  'acrStreaming.loadMore',
  'acrStreaming.copyImageReference',
  'acrStreaming.copyDigest',
  'acrStreaming.addRegistry',
  'acrStreaming.signIn',
  'acrStreaming.removeRegistry',
  'acrStreaming.openStreamingPanel',
  'acrStreaming.signInToAzure',
  'acrStreaming.signOutOfAzure',
  'acrStreaming.selectSubscriptions',
  'acrStreaming.openInPortal',
  'acrStreaming.showAksHelp',
  'acrStreaming.untag',
  'acrStreaming.deleteImage',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Commands that only make sense on a tree node; hidden from the palette. */
export const NODE_ONLY_COMMANDS: readonly CommandId[] = ['acrStreaming.loadMore'];
