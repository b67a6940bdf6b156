/** Open Streaming Panel / Show Referrers: the webview, optionally focused on one image. */
import { StreamingPanel } from '../panel/streamingPanel';
import type { CommandContext } from './commandContext';
import { displayImage, isImageFocus, isTreeNode, resolveImages, type ImageFocus } from './commandTargets';
import { reportError, withCancellableProgress } from './reportError';

/** The image a tag or referrer node (or a focus object) stands for, without asking anyone. */
function focusOf(node: unknown): ImageFocus | undefined {
  if (isImageFocus(node)) {
    return node;
  }
  if (isTreeNode(node) && node.kind === 'tag') {
    return { loginServer: node.loginServer, repository: node.repository, digest: node.digest, image: `${node.repository}:${node.tag}` };
  }
  if (isTreeNode(node) && node.kind === 'referrer') {
    const tag = node.parent;
    return { loginServer: tag.loginServer, repository: tag.repository, digest: tag.digest, image: `${tag.repository}:${tag.tag}` };
  }
  return undefined;
}

export function openStreamingPanelCommand(ctx: CommandContext, node?: unknown): void {
  StreamingPanel.createOrShow(ctx.extension, ctx.dataSource, focusOf(node));
}

export async function showReferrersCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  let focus = focusOf(node);
  if (!focus) {
    const targets = await resolveImages(node, selected, ctx.pickers);
    if (targets.kind !== 'images') {
      return;
    }
    const target = targets.images[0];
    try {
      const digest =
        target.digest ??
        (await withCancellableProgress(`Resolving ${displayImage(target)}…`, async (_p, signal) => {
          const session = await ctx.connections.session(target.loginServer);
          return session.registry.resolveDigest(target.repository, target.tag as string, { signal });
        }));
      focus = { loginServer: target.loginServer, repository: target.repository, digest, image: displayImage(target) };
    } catch (error) {
      await reportError(ctx, `Could not resolve ${displayImage(target)}`, error, target.loginServer);
      return;
    }
  }
  StreamingPanel.createOrShow(ctx.extension, ctx.dataSource, focus);
}
