/**
 * Operations as ACR shows them. The recorded object has no `id`; `resource` is
 * `<repo>@<digest>`; `progress` a percent string. A Failed operation (never recorded) carries
 * `details: "<CODE>: <what happened>"` and `error: {code, message}`: the emulator's choice.
 */
import type { OperationRecord } from './operation';

export const CONVERSION_OPERATION_NAME = 'ArtifactStreamingConversion';
export const SETTINGS_OPERATION_NAME = 'ArtifactStreamingSettingsUpdate';

export function operationView(operation: OperationRecord, namePrefix = ''): Record<string, unknown> {
  const name = operation.kind === 'conversion' ? CONVERSION_OPERATION_NAME : SETTINGS_OPERATION_NAME;
  const view: Record<string, unknown> = {
    name: `${namePrefix}${name}`,
    resource: operation.digest ? `${operation.repository}@${operation.digest}` : operation.repository,
    status: operation.status,
    startTime: operation.startTime,
    progress: `${Math.max(0, Math.min(100, Math.floor(operation.progress)))}%`,
    details: operation.details,
  };
  if (operation.status === 'Failed' && operation.error) {
    view.error = { ...operation.error };
  }
  return view;
}

/** Location/Operation-Id/Operation-Location headers of an operation. */
export function operationHeaders(baseUrl: string, operation: OperationRecord): Record<string, string> {
  const location = `${baseUrl}/acr/v1/${operation.repository}/_operations/${operation.id}`;
  return { Location: location, 'Operation-Id': operation.id, 'Operation-Location': location };
}
