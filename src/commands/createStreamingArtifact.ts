/**
 * Create Streaming Artifact: for one tag, the selected tags, or every convertible tag of a
 * repository (after a confirmation that says how many). Images the tree already knows ACR
 * would refuse are refused before any request; the others go through the core's
 * `createStreamingArtifact`, whose pre-flight refuses the rest before anything is POSTed.
 */
import * as vscode from 'vscode';
import type { BadgeState } from '../core/badge/badgeState';
import { describeBadge } from '../core/badge/describeBadge';
import { createStreamingArtifact, type CreateOutcome } from '../core/createStreamingArtifact';
import { toAcrStreamingError, type AcrStreamingError } from '../core/errors';
import { listAllTags } from '../core/listAllTags';
import { Limiter } from '../services/limiter';
import { compareTagsNewestFirst } from '../tree/sorting';
import type { CommandContext } from './commandContext';
import { displayImage, planConversions, resolveImages, type ImageTarget, type RepositoryTarget } from './commandTargets';
import { refuseIfRegistryBlocked } from './registryPreflight';
import { reportError, withCancellableProgress } from './reportError';

type Result = { target: ImageTarget; outcome: CreateOutcome } | { target: ImageTarget; error: AcrStreamingError };

/** Tags of a repository whose badge says a conversion can start; counted by badge for the prompt. */
interface RepositoryScan {
  convertible: ImageTarget[];
  counts: Partial<Record<BadgeState['kind'] | 'unknown', number>>;
  total: number;
}

export async function createStreamingArtifactCommand(ctx: CommandContext, node?: unknown, selected?: unknown): Promise<void> {
  const targets = await resolveImages(node, selected, ctx.pickers, { allowRepository: true });
  if (targets.kind === 'none') {
    return;
  }
  const registries = targets.kind === 'repository' ? [targets.repository.loginServer] : targets.images.map((image) => image.loginServer);
  if (await refuseIfRegistryBlocked(ctx, registries, 'create streaming artifacts')) {
    return;
  }
  let images: ImageTarget[];
  if (targets.kind === 'repository') {
    const chosen = await chooseFromRepository(ctx, targets.repository);
    if (!chosen) {
      return;
    }
    images = chosen;
  } else {
    images = targets.images;
  }

  const plan = planConversions(images, (badge) => describeBadge(badge).detail);
  if (plan.convert.length === 0) {
    explainNothingToDo(plan.refused, plan.skipped);
    return;
  }
  if (targets.kind === 'images' && plan.convert.length > 1) {
    const go = `Convert ${plan.convert.length}`;
    const answer = await vscode.window.showWarningMessage(
      `Create streaming artifacts for ${plan.convert.length} images?`,
      { modal: true, detail: summary(plan.refused.length, plan.skipped.length) },
      go,
    );
    if (answer !== go) {
      return;
    }
  }
  await convert(ctx, plan.convert, plan.refused);
}

async function chooseFromRepository(ctx: CommandContext, target: RepositoryTarget): Promise<ImageTarget[] | undefined> {
  let scan: RepositoryScan;
  try {
    scan = await withCancellableProgress(`Checking the tags of ${target.repository}…`, (progress, signal) => scanRepository(ctx, target, signal, progress));
  } catch (error) {
    await reportError(ctx, `Could not read the tags of ${target.repository}`, error, target.loginServer);
    return undefined;
  }
  const counts = Object.entries(scan.counts)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  if (scan.convertible.length === 0) {
    void vscode.window.showInformationMessage(`No tag of ${target.repository} needs converting (${scan.total} tags: ${counts}).`);
    return undefined;
  }
  const go = `Convert ${scan.convertible.length}`;
  const answer = await vscode.window.showWarningMessage(
    `Create streaming artifacts for ${scan.convertible.length} of ${scan.total} tags in ${target.repository}?`,
    { modal: true, detail: `Tags by state: ${counts}. Streamed, converting and unsupported tags are left alone.` },
    go,
  );
  return answer === go ? scan.convertible : undefined;
}

/** Reads every tag (page by page, bounded: see `listAllTags`) and its badge (through the session's bounded badge service). */
async function scanRepository(
  ctx: CommandContext,
  target: RepositoryTarget,
  signal: AbortSignal,
  progress: vscode.Progress<{ message?: string }>,
): Promise<RepositoryScan> {
  const session = await ctx.connections.session(target.loginServer);
  const tags = await listAllTags(session.registry, target.repository, {
    pageSize: ctx.settings().pageSize,
    signal,
    onProgress: (count) => progress.report({ message: `${count} tags listed` }),
  });
  tags.sort(compareTagsNewestFirst);

  const lookups = await session.badges.getBadges(target.repository, tags.map((tag) => tag.digest), { signal });
  const scan: RepositoryScan = { convertible: [], counts: {}, total: tags.length };
  lookups.forEach((lookup, index) => {
    const tag = tags[index];
    const kind = lookup.ok ? lookup.result.badge.kind : 'unknown';
    scan.counts[kind] = (scan.counts[kind] ?? 0) + 1;
    if (kind === 'not-converted' || kind === 'failed') {
      scan.convertible.push({ loginServer: target.loginServer, repository: target.repository, tag: tag.name, digest: tag.digest });
    }
  });
  return scan;
}

async function convert(ctx: CommandContext, images: ImageTarget[], refused: Array<{ target: ImageTarget; reason: string }>): Promise<void> {
  const results = await withCancellableProgress(
    images.length === 1 ? `Creating the streaming artifact of ${displayImage(images[0])}…` : `Creating ${images.length} streaming artifacts…`,
    async (progress, signal) => {
      const limiter = new Limiter(ctx.settings().maxConcurrentRequests);
      let done = 0;
      return Promise.all(
        images.map((target) =>
          limiter
            .run(() => convertOne(ctx, target, signal), signal)
            .catch((error: unknown): Result => ({ target, error: toAcrStreamingError(error) }))
            .finally(() => {
              done++;
              progress.report({ message: `${done} of ${images.length}`, increment: 100 / images.length });
            }),
        ),
      );
    },
  );
  await report(ctx, results, refused);
}

async function convertOne(ctx: CommandContext, target: ImageTarget, signal: AbortSignal): Promise<Result> {
  const session = await ctx.connections.session(target.loginServer);
  const outcome = await createStreamingArtifact(
    session.registry,
    session.streaming,
    { repository: target.repository, tag: target.tag, digest: target.tag ? undefined : target.digest },
    { signal, logger: ctx.logger },
  );
  const image = displayImage(target);
  if (outcome.kind === 'exists') {
    ctx.tree.reloadBadges(target.loginServer, target.repository, outcome.digest);
  } else {
    // The tracker owns it from here: polling, badges, status bar, notifications.
    ctx.connections.forgetBadge(target.loginServer, target.repository, outcome.digest);
    ctx.tracker.track(target.loginServer, { ...outcome.operation, repository: outcome.operation.repository || target.repository, digest: outcome.digest }, { image, digest: outcome.digest });
  }
  ctx.logger.info(`${image}: ${outcome.kind}${outcome.kind === 'exists' ? '' : ` (operation ${outcome.operation.id})`}.`);
  return { target, outcome };
}

async function report(ctx: CommandContext, results: Result[], refused: Array<{ target: ImageTarget; reason: string }>): Promise<void> {
  const failures = results.filter((r): r is Extract<Result, { error: AcrStreamingError }> => 'error' in r && r.error.code !== 'CANCELLED');
  const outcomes = results.filter((r): r is Extract<Result, { outcome: CreateOutcome }> => 'outcome' in r);
  if (results.length === 1 && refused.length === 0) {
    const only = results[0];
    if ('error' in only) {
      await reportError(ctx, `Could not create the streaming artifact of ${displayImage(only.target)}`, only.error, only.target.loginServer);
      return;
    }
    const image = displayImage(only.target);
    if (only.outcome.kind === 'exists') {
      const show = 'Show Referrers';
      const choice = await vscode.window.showInformationMessage(`${image} already has a streaming artifact.`, show);
      if (choice === show) {
        await vscode.commands.executeCommand('acrStreaming.showReferrers', {
          loginServer: only.target.loginServer,
          repository: only.target.repository,
          digest: only.outcome.digest,
          image,
        });
      }
      return;
    }
    const verb = only.outcome.kind === 'reused' ? 'is already running' : 'started';
    void vscode.window.showInformationMessage(`The conversion of ${image} ${verb}. The badge updates as it runs.`);
    return;
  }
  const started = outcomes.filter((r) => r.outcome.kind !== 'exists').length;
  const existing = outcomes.length - started;
  const parts = [`${started} conversion(s) started or running`];
  if (existing > 0) {
    parts.push(`${existing} already streamed`);
  }
  if (refused.length > 0) {
    parts.push(`${refused.length} refused (not convertible)`);
  }
  if (failures.length > 0) {
    parts.push(`${failures.length} failed`);
    for (const failure of failures) {
      ctx.logger.error(`${displayImage(failure.target)}: ${failure.error.code} ${failure.error.describe()}`);
    }
  }
  const message = `${parts.join(', ')}.`;
  const openPanel = 'Open Panel';
  const showLog = 'Show Log';
  const choice = failures.length > 0 ? await vscode.window.showWarningMessage(message, showLog, openPanel) : await vscode.window.showInformationMessage(message, openPanel);
  if (choice === openPanel) {
    await vscode.commands.executeCommand('acrStreaming.openStreamingPanel');
  } else if (choice === showLog) {
    ctx.logChannel.show(true);
  }
}

function summary(refused: number, skipped: number): string {
  const notes: string[] = [];
  if (refused > 0) {
    notes.push(`${refused} image(s) cannot be converted and are left out`);
  }
  if (skipped > 0) {
    notes.push(`${skipped} image(s) already streamed or converting are left out`);
  }
  return notes.length > 0 ? `${notes.join('; ')}.` : 'Each conversion is tracked; badges update as they run.';
}

function explainNothingToDo(refused: Array<{ target: ImageTarget; reason: string }>, skipped: Array<{ target: ImageTarget; badge: BadgeState['kind'] }>): void {
  if (refused.length === 1 && skipped.length === 0) {
    void vscode.window.showWarningMessage(`${displayImage(refused[0].target)} cannot be converted: ${refused[0].reason}`);
    return;
  }
  if (skipped.length === 1 && refused.length === 0) {
    const state = skipped[0].badge === 'streamed' ? 'already has a streaming artifact' : 'is already converting';
    void vscode.window.showInformationMessage(`${displayImage(skipped[0].target)} ${state}.`);
    return;
  }
  void vscode.window.showInformationMessage(`Nothing to convert: ${summary(refused.length, skipped.length)}`);
}
