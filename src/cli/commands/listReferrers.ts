/** `acr-streaming list-referrers --image REF [--artifact-type TYPE]`: the OCI referrers of an image. */
import type { ImageReference } from '../../core/reference';
import { ExitCode } from '../exitCodes';
import { parseArtifactType, parseCommon, requireImage, type CommonInput, type CommonRaw, type ValidationContext } from '../options';
import type { Session } from '../session';
import { referrersResult } from '../views';
import { displayImage, resolveImageDigest } from './imageTarget';

export interface ListReferrersRaw extends CommonRaw {
  image?: string;
  artifactType?: string;
}

export interface ListReferrersInput {
  common: CommonInput;
  image: ImageReference;
  artifactType?: string;
}

export function parseListReferrers(raw: ListReferrersRaw, context: ValidationContext): ListReferrersInput {
  const image = requireImage(raw.image);
  const artifactType = parseArtifactType(raw.artifactType);
  return { common: parseCommon(raw, context, image), image, artifactType };
}

export async function runListReferrers(input: ListReferrersInput, session: Session): Promise<ExitCode> {
  const { registry, streaming } = session.connection;
  const digest = await resolveImageDigest(registry, input.image, { signal: session.signal });
  const referrers = await streaming.listReferrers(input.image.repository, digest, { artifactType: input.artifactType, signal: session.signal });
  session.print(referrersResult(displayImage(input.image), digest, referrers, input.artifactType));
  return ExitCode.Success;
}
