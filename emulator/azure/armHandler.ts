/**
 * The ARM listener's request handler: the emulator's fault rules apply here as on the data
 * plane (matched on `METHOD /path?query`), then the ARM routes answer. Injected statuses get
 * ARM-shaped bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision, FaultInjector } from '../faults/faultInjector';
import { breakNextLinks } from '../faults/pagingFault';
import { interceptResponse } from '../faults/responseInterceptor';
import { handleThenResetMidBody } from '../faults/midBodyReset';
import type { RequestContext } from '../http/requestContext';
import { armCodeForStatus, sendArmError } from './armResponses';
import { handleArm, type ArmDeps } from './armRoutes';

export interface ArmHandlerDeps extends ArmDeps {
  faults: FaultInjector;
  log: (line: string) => void;
}

const AFTER_HANDLING_TIMEOUT_MS = 120_000;

export function createArmHandler(deps: ArmHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatchArm(deps, req, res).catch((error: unknown) => {
      deps.log(`ARM ${req.method ?? '?'} ${req.url ?? '?'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent && !res.destroyed) {
        sendArmError(req, res, 500, 'InternalServerError', 'Internal error in the emulator.');
      } else {
        res.destroy();
      }
    });
  };
}

async function dispatchArm(deps: ArmHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://arm.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    sendArmError(req, res, 400, 'InvalidRequestUri', 'The request path is not valid.');
    return;
  }
  const ctx: RequestContext = { req, res, method: req.method ?? 'GET', url, path };
  const decision = deps.faults.decide(ctx.method, `${url.pathname}${url.search}`, req.headers.host);
  if (decision.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  }
  if (decision.paging) {
    breakNextLinks(res, req, decision.paging, 'arm-body');
  }
  const outcome = decision.outcome;
  if (!outcome) {
    handleArm(ctx, deps);
    return;
  }
  if (outcome.kind === 'reset-mid-body') {
    await handleThenResetMidBody(res, () => handleArm(ctx, deps), AFTER_HANDLING_TIMEOUT_MS, () => undefined);
    return;
  }
  if (outcome.afterHandling) {
    const interception = interceptResponse(res);
    handleArm(ctx, deps);
    await Promise.race([interception.done, delay(AFTER_HANDLING_TIMEOUT_MS)]);
    interception.restore();
  }
  applyArmFault(ctx, outcome);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function applyArmFault(ctx: RequestContext, outcome: Exclude<NonNullable<FaultDecision['outcome']>, { kind: 'reset-mid-body' }>): void {
  if (outcome.kind === 'drop') {
    ctx.req.socket.destroy();
    return;
  }
  const { code, message } = armCodeForStatus(outcome.status);
  const headers: Record<string, string> = outcome.retryAfterSeconds !== undefined ? { 'Retry-After': String(outcome.retryAfterSeconds) } : {};
  ctx.req.resume();
  sendArmError(ctx.req, ctx.res, outcome.status, code, message, headers);
}
