/** Copy Image Reference / Copy Digest, for one or many selected tags and referrers. */
import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { copyTextOf, nodesOfKind, resolveImages } from './commandTargets';
import { reportError, withCancellableProgress } from './reportError';

async function copy(ctx: CommandContext, what: 'reference' | 'digest', node: unknown, selected: unknown): Promise<void> {
  const nodes = nodesOfKind(node, selected, ['tag', 'referrer']);
  let lines = nodes.map((n) => copyTextOf(n, what));
  if (lines.length === 0) {
    const targets = await resolveImages(node, selected, ctx.pickers);
    if (targets.kind !== 'images') {
      return;
    }
    const target = targets.images[0];
    if (what === 'reference') {
      lines = [target.tag ? `${target.loginServer}/${target.repository}:${target.tag}` : `${target.loginServer}/${target.repository}@${target.digest}`];
    } else {
      try {
        const digest =
          target.digest ??
          (await withCancellableProgress(`Resolving ${target.repository}:${target.tag}…`, async (_p, signal) => {
            const session = await ctx.connections.session(target.loginServer);
            return session.registry.resolveDigest(target.repository, target.tag as string, { signal });
          }));
        lines = [digest];
      } catch (error) {
        await reportError(ctx, `Could not resolve ${target.repository}:${target.tag}`, error, target.loginServer);
        return;
      }
    }
  }
  await vscode.env.clipboard.writeText(lines.join('\n'));
  vscode.window.setStatusBarMessage(lines.length === 1 ? `Copied ${lines[0]}` : `Copied ${lines.length} ${what === 'digest' ? 'digests' : 'references'}`, 3000);
}

export function copyImageReferenceCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  return copy(ctx, 'reference', node, selected);
}

export function copyDigestCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  return copy(ctx, 'digest', node, selected);
}
