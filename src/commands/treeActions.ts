/** Refresh and Load more…: the tree re-fetches only the nodes they name. */
import type { CommandContext } from './commandContext';
import { isTreeNode, nodesOfKind } from './commandTargets';
import { reportError } from './reportError';

export function refreshCommand(ctx: CommandContext, node?: unknown, selected?: unknown): void {
  if (!isTreeNode(node)) {
    // Everything: sign-in state and tokens too.
    ctx.connections.forgetAll();
    ctx.tree.refresh();
    return;
  }
  for (const target of nodesOfKind(node, selected, ['registry', 'repository', 'tag', 'referrer', 'loadMore', 'message'])) {
    if (target.kind === 'registry' && target.state.kind !== 'ready') {
      // A registry that failed may have new credentials or settings: connect afresh.
      ctx.connections.forget(target.loginServer);
    }
    ctx.tree.refresh(target);
  }
}

export async function loadMoreCommand(ctx: CommandContext, node?: unknown): Promise<void> {
  if (!isTreeNode(node) || node.kind !== 'loadMore') {
    return;
  }
  try {
    await ctx.tree.loadMore(node);
  } catch (error) {
    await reportError(ctx, 'Could not load more', error);
  }
}
