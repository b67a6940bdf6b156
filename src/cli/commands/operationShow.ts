/** `acr-streaming operation show (--image REF | --repository REPO --id ID)`. */
import { ExitCode } from '../exitCodes';
import { parseCommon, parseOperationTarget, type CommonInput, type CommonRaw, type OperationTarget, type ValidationContext } from '../options';
import type { Session } from '../session';
import { operationResult } from '../views';
import { findOperation } from './imageTarget';

export interface OperationRaw extends CommonRaw {
  image?: string;
  repository?: string;
  id?: string;
}

export interface OperationInput {
  common: CommonInput;
  target: OperationTarget;
}

export function parseOperation(raw: OperationRaw, context: ValidationContext): OperationInput {
  const target = parseOperationTarget(raw);
  return { common: parseCommon(raw, context, target.kind === 'image' ? target.image : undefined), target };
}

/** Showing an operation succeeds whatever its status: the status is the answer. */
export async function runOperationShow(input: OperationInput, session: Session): Promise<ExitCode> {
  const { registry, streaming } = session.connection;
  const operation = await findOperation(registry, streaming, input.target, { signal: session.signal });
  session.print(operationResult(operation));
  return ExitCode.Success;
}
