/**
 * `acr-streaming operation cancel (--image REF | --repository REPO --id ID)`. The operation is
 * read first: cancelling one already cancelled is a success (so scripts can repeat it), and one
 * that already ended otherwise is refused without a cancel request.
 */
import { AcrStreamingError } from '../../core/errors';
import { ExitCode } from '../exitCodes';
import type { Session } from '../session';
import { operationJson, operationLines } from '../views';
import { findOperation } from './imageTarget';
import type { OperationInput } from './operationShow';

export async function runOperationCancel(input: OperationInput, session: Session): Promise<ExitCode> {
  const { registry, streaming } = session.connection;
  const options = { signal: session.signal };
  const operation = await findOperation(registry, streaming, input.target, options);
  if (operation.status === 'Canceled') {
    session.print({ data: operationJson(operation), lines: [`Operation ${operation.id} was already cancelled.`, ...operationLines(operation)] });
    return ExitCode.Success;
  }
  if (operation.status === 'Succeeded' || operation.status === 'Failed') {
    throw new AcrStreamingError('REGISTRY_ERROR', `Operation ${operation.id} already ended (${operation.status}); there is nothing to cancel.`, {
      hint: operation.status === 'Succeeded' ? 'The streaming artifact exists; list it with "acr-streaming list-referrers".' : undefined,
    });
  }
  const cancelled = { ...(await streaming.cancelOperation(operation.repository, operation.id, options)) };
  cancelled.digest ??= operation.digest;
  session.print({ data: operationJson(cancelled), lines: [`Cancelled operation ${cancelled.id}.`, ...operationLines(cancelled)] });
  return ExitCode.Success;
}
