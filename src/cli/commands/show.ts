/** `acr-streaming show --repository REPO`: whether pushes into the repository are converted. */
import { ExitCode } from '../exitCodes';
import { parseCommon, requireRepository, type CommonInput, type CommonRaw, type ValidationContext } from '../options';
import type { Session } from '../session';
import { repositoryStateResult } from '../views';

export interface ShowRaw extends CommonRaw {
  repository?: string;
}

export interface ShowInput {
  common: CommonInput;
  repository: string;
}

export function parseShow(raw: ShowRaw, context: ValidationContext): ShowInput {
  const repository = requireRepository(raw.repository);
  return { common: parseCommon(raw, context), repository };
}

export async function runShow(input: ShowInput, session: Session): Promise<ExitCode> {
  const state = await session.connection.streaming.getRepositoryState(input.repository, { signal: session.signal });
  session.print(repositoryStateResult(state));
  return ExitCode.Success;
}
