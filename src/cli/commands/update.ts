/** `acr-streaming update --repository REPO --enable-streaming true|false`: auto-conversion on or off. */
import { ExitCode } from '../exitCodes';
import { parseBoolean, parseCommon, requireRepository, type CommonInput, type CommonRaw, type ValidationContext } from '../options';
import type { Session } from '../session';
import { repositoryStateResult } from '../views';

export interface UpdateRaw extends CommonRaw {
  repository?: string;
  enableStreaming?: string;
}

export interface UpdateInput {
  common: CommonInput;
  repository: string;
  enable: boolean;
}

export function parseUpdate(raw: UpdateRaw, context: ValidationContext): UpdateInput {
  const repository = requireRepository(raw.repository);
  const enable = parseBoolean('enable-streaming', raw.enableStreaming);
  return { common: parseCommon(raw, context), repository, enable };
}

export async function runUpdate(input: UpdateInput, session: Session): Promise<ExitCode> {
  const state = await session.connection.streaming.setAutoConversion(input.repository, input.enable, { signal: session.signal });
  const result = repositoryStateResult(state);
  const note = state.convertPushedImages
    ? 'Images pushed from now on are converted; existing images are not (convert them with "acr-streaming create").'
    : 'Images pushed from now on are not converted; existing streaming artifacts are kept.';
  session.print({ data: result.data, lines: [...result.lines, '', note] });
  return ExitCode.Success;
}
