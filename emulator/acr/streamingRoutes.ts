/**
 * ACR's artifact streaming endpoints, exactly as recorded (docs/acr-api-shapes.md):
 * `_streaming` (repository settings), `_streaming/{digest}` (convert / last operation),
 * `_operations/{id}` and `_operations/{id}:cancel`.
 */
import { CONVERSION_FORMAT, CONVERSION_VERSION } from '../../src/core/mediaTypes';
import type { ConversionScheduler } from '../conversion/scheduler';
import { sendAcrError, sendJson } from '../http/acrResponses';
import { readJson } from '../http/requestBody';
import type { RequestContext } from '../http/requestContext';
import type { OperationStore } from '../operations/operationStore';
import { operationHeaders, operationView } from '../operations/operationView';
import type { RegistryMetadata } from '../registry/metadataCache';
import type { StreamingRefusal } from '../azure/streamingSupport';
import type { RepositorySettingsStore } from '../streaming/repositorySettings';
import { sendNameUnknown } from './listingRoutes';

export interface StreamingDeps {
  baseUrl: string;
  metadata: RegistryMetadata;
  settings: RepositorySettingsStore;
  operations: OperationStore;
  scheduler: ConversionScheduler;
  /** Registries without artifact streaming (not Premium, or customer-managed keys), by the `Host` asked. */
  streamingRefusal?: (host: string | undefined) => StreamingRefusal | undefined;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * True (and the refusal sent) when this registry has no artifact streaming at all. The router
 * asks it once for every streaming and operations route.
 */
export function refusedForStreaming(ctx: RequestContext, deps: StreamingDeps): boolean {
  const refusal = deps.streamingRefusal?.(ctx.req.headers.host);
  if (!refusal) {
    return false;
  }
  ctx.req.resume();
  sendAcrError(ctx.res, refusal.status, refusal.code, refusal.message, { detail: refusal.detail });
  return true;
}

function operationUnknown(ctx: RequestContext): void {
  sendAcrError(ctx.res, 404, 'OPERATION_UNKNOWN', 'The specified operation does not exist');
}

async function readBodyObject(ctx: RequestContext): Promise<Record<string, unknown> | undefined> {
  let body: unknown;
  try {
    body = await readJson(ctx.req);
  } catch {
    sendAcrError(ctx.res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
    return undefined;
  }
  if (body === undefined) {
    return {};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendAcrError(ctx.res, 400, 'BAD_REQUEST', 'the request body must be a JSON object');
    return undefined;
  }
  return body as Record<string, unknown>;
}

/** Only overlaybd v1 exists; anything else is refused with 400 UNSUPPORTED_CONVERSION_FORMAT (ours). */
function formatOk(ctx: RequestContext, body: Record<string, unknown>): boolean {
  const format = body.conversionFormat ?? CONVERSION_FORMAT;
  const version = body.conversionVersion ?? CONVERSION_VERSION;
  if (format !== CONVERSION_FORMAT || version !== CONVERSION_VERSION) {
    sendAcrError(ctx.res, 400, 'UNSUPPORTED_CONVERSION_FORMAT', `conversion format ${String(format)} ${String(version)} is not supported; use ${CONVERSION_FORMAT} ${CONVERSION_VERSION}`);
    return false;
  }
  return true;
}

export async function getSettings(ctx: RequestContext, deps: StreamingDeps, repository: string): Promise<void> {
  if (!deps.settings.get(repository) && !(await deps.metadata.repository(repository))) {
    sendNameUnknown(ctx, repository);
    return;
  }
  sendJson(ctx.res, 200, deps.settings.view(repository));
}

export async function postSettings(ctx: RequestContext, deps: StreamingDeps, repository: string): Promise<void> {
  const body = await readBodyObject(ctx);
  if (!body) {
    return;
  }
  if (typeof body.convertPushedImages !== 'boolean') {
    sendAcrError(ctx.res, 400, 'BAD_REQUEST', '"convertPushedImages" (true or false) is required');
    return;
  }
  if (!formatOk(ctx, body)) {
    return;
  }
  const settings = deps.settings.set(repository, body.convertPushedImages);
  const operation = deps.operations.create({
    kind: 'settings',
    repository,
    status: 'Succeeded',
    progress: 100,
    details: `Artifact streaming ${settings.convertPushedImages ? 'enabled' : 'disabled'} for repository ${repository}`,
  });
  // Echo of the request, then status and id, as recorded.
  const echo: Record<string, unknown> = { convertPushedImages: settings.convertPushedImages };
  if (settings.convertPushedImages || body.conversionFormat !== undefined) {
    echo.conversionFormat = body.conversionFormat ?? CONVERSION_FORMAT;
    echo.conversionVersion = body.conversionVersion ?? CONVERSION_VERSION;
  }
  sendJson(ctx.res, 202, { ...echo, status: 'Succeeded', id: operation.id }, operationHeaders(deps.baseUrl, operation));
}

export async function postConversion(ctx: RequestContext, deps: StreamingDeps, repository: string, digest: string): Promise<void> {
  if (!DIGEST.test(digest)) {
    sendAcrError(ctx.res, 400, 'DIGEST_INVALID', 'provided digest is invalid', { detail: digest });
    return;
  }
  const body = await readBodyObject(ctx);
  if (!body || !formatOk(ctx, body)) {
    return;
  }
  const { operation } = deps.scheduler.start(repository, digest);
  sendJson(ctx.res, 202, { id: operation.id, status: operation.status }, operationHeaders(deps.baseUrl, operation));
}

export function getLastConversion(ctx: RequestContext, deps: StreamingDeps, repository: string, digest: string): void {
  const operation = deps.operations.lastForDigest(repository, digest);
  if (!operation) {
    operationUnknown(ctx);
    return;
  }
  sendJson(ctx.res, 200, { id: operation.id, status: operation.status }, operationHeaders(deps.baseUrl, operation));
}

export function getOperation(ctx: RequestContext, deps: StreamingDeps, repository: string, id: string): void {
  const operation = deps.operations.get(repository, id);
  if (!operation) {
    operationUnknown(ctx);
    return;
  }
  sendJson(ctx.res, 200, operationView(operation));
}

/**
 * Cancel: 200 with the operation named "Cancel: …" and status Canceled. Cancelling an operation
 * that is already Canceled answers the same (a retried cancel is harmless); one that Succeeded
 * or Failed gets 409 OPERATION_NOT_CANCELABLE (the emulator's choice; ACR's is not recorded).
 */
export function cancelOperation(ctx: RequestContext, deps: StreamingDeps, repository: string, id: string): void {
  const operation = deps.operations.get(repository, id);
  if (!operation) {
    operationUnknown(ctx);
    return;
  }
  const outcome = operation.kind === 'conversion' ? deps.scheduler.cancel(operation) : { result: 'finished' as const, operation };
  if (outcome.result === 'finished') {
    sendAcrError(ctx.res, 409, 'OPERATION_NOT_CANCELABLE', `The operation has already finished with status ${operation.status} and cannot be canceled`, {
      detail: { id, status: operation.status },
    });
    return;
  }
  sendJson(ctx.res, 200, operationView(operation, 'Cancel: '));
}
