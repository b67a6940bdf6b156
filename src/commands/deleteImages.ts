/**
 * Untag… and Delete Image…, each behind a confirmation that says what goes with it: the
 * image's other tags, its streaming artifacts (ACR deletes them with the image), and what soft
 * delete can and cannot bring back on this registry.
 */
import * as vscode from 'vscode';
import type { SoftDeletePolicy } from '../core/azure/models';
import { toAcrStreamingError } from '../core/errors';
import { STREAMING_ARTIFACT_TYPE } from '../core/mediaTypes';
import type { TagNode } from '../tree/nodes';
import { shortDigest } from '../tree/markdown';
import type { CommandContext } from './commandContext';
import { imageTargetOf, nodesOfKind, resolveImages, type ImageTarget } from './commandTargets';
import { reportError, withCancellableProgress } from './reportError';
import { softDeleteLine, type SoftDelete } from './softDeleteText';


export async function untagCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  const tags = await resolveTags(ctx, node, selected);
  if (tags.length === 0) {
    return;
  }
  const softDelete = await readSoftDelete(ctx, tags[0].loginServer);
  const names = tags.map((t) => `${t.repository}:${t.tag}`);
  const detail = [
    tags.length === 1
      ? `The image ${shortDigest(tags[0].digest!)} stays, with its other tags and its streaming artifacts; only the name "${tags[0].tag}" goes.`
      : 'The images stay, with their other tags and streaming artifacts; only these names go.',
    softDeleteLine(softDelete, 'untag'),
  ].join('\n\n');
  const go = tags.length === 1 ? 'Untag' : `Untag ${tags.length}`;
  const answer = await vscode.window.showWarningMessage(tags.length === 1 ? `Untag ${names[0]}?` : `Untag ${tags.length} tags?`, { modal: true, detail }, go);
  if (answer !== go) {
    return;
  }
  await removeAll(ctx, tags, 'untag', async (target, signal) => {
    const session = await ctx.connections.session(target.loginServer);
    await session.registry.deleteTag(target.repository, target.tag!, { signal });
  });
}

export async function deleteImageCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  const tags = await resolveTags(ctx, node, selected);
  if (tags.length === 0) {
    return;
  }
  // One entry per image: two tags of the same digest are one deletion.
  const images = [...new Map(tags.map((t) => [`${t.loginServer}/${t.repository}@${t.digest}`, t])).values()];
  let facts: ImageFacts[];
  try {
    facts = await withCancellableProgress('Checking what goes with the image…', (_progress, signal) => Promise.all(images.map((image) => imageFacts(ctx, image, signal))));
  } catch (error) {
    await reportError(ctx, 'Could not read what the image holds', error, images[0].loginServer);
    return;
  }
  const softDelete = await readSoftDelete(ctx, images[0].loginServer);
  const lines = facts.map((f) => {
    const artifacts = f.streamingArtifacts === 1 ? '1 streaming artifact' : `${f.streamingArtifacts} streaming artifacts`;
    return `${f.target.repository}@${shortDigest(f.target.digest!)}: tags ${f.tags.join(', ')}; ${artifacts}`;
  });
  const detail = [
    ...lines,
    'Every tag of the image and its streaming artifacts are deleted with it.',
    softDeleteLine(softDelete, 'delete'),
  ].join('\n\n');
  const go = images.length === 1 ? 'Delete Image' : `Delete ${images.length} Images`;
  const title = images.length === 1 ? `Delete ${images[0].repository}@${shortDigest(images[0].digest!)}?` : `Delete ${images.length} images?`;
  const answer = await vscode.window.showWarningMessage(title, { modal: true, detail }, go);
  if (answer !== go) {
    return;
  }
  await removeAll(ctx, images, 'delete', async (target, signal) => {
    const session = await ctx.connections.session(target.loginServer);
    await session.registry.deleteManifest(target.repository, target.digest!, { signal });
  });
}

interface ImageFacts {
  target: ImageTarget;
  tags: string[];
  streamingArtifacts: number;
}

async function imageFacts(ctx: CommandContext, target: ImageTarget, signal: AbortSignal): Promise<ImageFacts> {
  const session = await ctx.connections.session(target.loginServer);
  const referrers = await session.streaming.listReferrers(target.repository, target.digest!, { signal, artifactType: STREAMING_ARTIFACT_TYPE });
  const shown = ctx.tree.tagNodesFor(target.loginServer, target.repository, target.digest!).map((n) => n.tag);
  const tags = [...new Set([...(target.tag ? [target.tag] : []), ...shown])];
  return { target, tags, streamingArtifacts: referrers.length };
}

/** Tags from the tree (clicked or selected), or picked from the palette. */
async function resolveTags(ctx: CommandContext, node: unknown, selected: unknown): Promise<ImageTarget[]> {
  const nodes = nodesOfKind(node, selected, ['tag']);
  if (nodes.length > 0) {
    const registries = new Set(nodes.map((n: TagNode) => n.loginServer));
    if (registries.size > 1) {
      void vscode.window.showWarningMessage('Pick tags of one registry at a time.');
      return [];
    }
    return nodes.map(imageTargetOf);
  }
  const targets = await resolveImages(node, selected, ctx.pickers);
  if (targets.kind !== 'images') {
    return [];
  }
  const withTags = targets.images.filter((image) => image.tag && image.digest);
  if (withTags.length < targets.images.length) {
    void vscode.window.showWarningMessage('Pick a tag (not a bare digest) to untag or delete.');
  }
  return withTags;
}

async function readSoftDelete(ctx: CommandContext, loginServer: string): Promise<SoftDelete> {
  const found = ctx.azure.catalog.registryFor(loginServer);
  if (!found) {
    return { kind: 'unknown' };
  }
  let policy: SoftDeletePolicy | undefined;
  try {
    policy = await ctx.azure.catalog.softDeletePolicy(found);
  } catch (error) {
    ctx.logger.warn(`Soft-delete policy of ${found.registry.name} unavailable: ${toAcrStreamingError(error).describe()}`);
    return { kind: 'unknown' };
  }
  if (!policy) {
    return { kind: 'unknown' };
  }
  return policy.enabled ? { kind: 'on', retentionDays: policy.retentionDays } : { kind: 'off' };
}

async function removeAll(
  ctx: CommandContext,
  targets: ImageTarget[],
  verb: 'untag' | 'delete',
  remove: (target: ImageTarget, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const done: ImageTarget[] = [];
  try {
    await withCancellableProgress(`${verb === 'untag' ? 'Untagging' : 'Deleting'}…`, async (_progress, signal) => {
      for (const target of targets) {
        await remove(target, signal);
        done.push(target);
        ctx.logger.info(`${verb === 'untag' ? 'Untagged' : 'Deleted'} ${target.repository}${verb === 'untag' ? `:${target.tag}` : `@${target.digest}`}.`);
      }
    });
  } catch (error) {
    const failed = targets[done.length];
    await reportError(ctx, `Could not ${verb} ${failed ? `${failed.repository}:${failed.tag}` : 'the image'}`, error, failed?.loginServer);
  } finally {
    for (const key of new Set(done.map((t) => `${t.loginServer}\n${t.repository}`))) {
      const [loginServer, repository] = key.split('\n');
      for (const repositoryNode of ctx.tree.repositoryNodesFor(loginServer, repository)) {
        ctx.tree.refresh(repositoryNode);
      }
    }
  }
  if (done.length === targets.length) {
    const what = verb === 'untag' ? (done.length === 1 ? `${done[0].repository}:${done[0].tag} untagged.` : `${done.length} tags untagged.`) : done.length === 1 ? `${done[0].repository}@${shortDigest(done[0].digest!)} deleted.` : `${done.length} images deleted.`;
    void vscode.window.showInformationMessage(what);
  }
}
