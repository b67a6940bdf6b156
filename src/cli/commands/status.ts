/** `acr-streaming status --image REF`: the image's streaming badge and what it means. */
import { loadBadge } from '../../core/badge/loadBadge';
import type { ImageReference } from '../../core/reference';
import { ExitCode } from '../exitCodes';
import { parseCommon, requireImage, type CommonInput, type CommonRaw, type ValidationContext } from '../options';
import type { Session } from '../session';
import { badgeResult } from '../views';
import { displayImage, resolveImageDigest } from './imageTarget';

export interface StatusRaw extends CommonRaw {
  image?: string;
}

export interface StatusInput {
  common: CommonInput;
  image: ImageReference;
}

export function parseStatus(raw: StatusRaw, context: ValidationContext): StatusInput {
  const image = requireImage(raw.image);
  return { common: parseCommon(raw, context, image), image };
}

/** Any badge is an answer, "failed" and "unsupported" included: exit 0. */
export async function runStatus(input: StatusInput, session: Session): Promise<ExitCode> {
  const { registry, streaming } = session.connection;
  const options = { signal: session.signal };
  // With a tag and a digest, check they agree; otherwise the manifest fetch resolves the tag.
  const reference = input.image.tag !== undefined && input.image.digest !== undefined ? await resolveImageDigest(registry, input.image, options) : (input.image.digest ?? (input.image.tag as string));
  const loaded = await loadBadge(registry, streaming, input.image.repository, reference, options);
  session.print(badgeResult(displayImage(input.image), loaded.digest, loaded.badge));
  return ExitCode.Success;
}
