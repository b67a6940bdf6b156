/**
 * Every request goes: `/_emulator/*` controls → faults → `/oauth2/*` → auth → the route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeAcr, type AcrDeps } from '../acr/acrRouter';
import { neededAccess, type NeededAccess } from '../auth/accessPolicy';
import type { Authenticator } from '../auth/authenticator';
import { sendDenied, sendUnauthorized, type ChallengeTarget } from '../auth/challenge';
import type { Principal } from '../auth/principals';
import type { TokenRoutes } from '../auth/tokenRoutes';
import type { FaultDecision, FaultInjector } from '../faults/faultInjector';
import { breakNextLinks } from '../faults/pagingFault';
import { interceptResponse } from '../faults/responseInterceptor';
import { handleThenResetMidBody } from '../faults/midBodyReset';
import { proxyV2, type ProxyDeps } from '../proxy/v2Proxy';
import { handleReferrers } from '../referrers/referrersRoute';
import type { RegistryMetadata } from '../registry/metadataCache';
import { errorCodeForStatus, sendAcrError, sendJson } from './acrResponses';
import { handleEmulatorRoute, type EmulatorControls } from './emulatorRoutes';
import type { RequestContext } from './requestContext';

export interface DispatcherDeps {
  faults: FaultInjector;
  tokenRoutes: TokenRoutes;
  authenticator: Authenticator;
  challenge: ChallengeTarget;
  controls: EmulatorControls;
  acr: AcrDeps;
  proxy: ProxyDeps;
  metadata: RegistryMetadata;
  log: (line: string) => void;
}

const AFTER_HANDLING_TIMEOUT_MS = 120_000;
const REFERRERS = /^\/v2\/(.+?)\/referrers\/([^/]+)$/;

export function createDispatcher(deps: DispatcherDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatch(deps, req, res).catch((error: unknown) => {
      deps.log(`${req.method ?? '?'} ${req.url ?? '?'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent && !res.destroyed) {
        sendAcrError(res, 500, 'UNKNOWN', 'internal error in the emulator');
      } else {
        res.destroy();
      }
    });
  };
}

async function dispatch(deps: DispatcherDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    sendAcrError(res, 400, 'BAD_REQUEST', 'the request path is not valid');
    return;
  }
  const ctx: RequestContext = { req, res, method: req.method ?? 'GET', url, path };
  if (path.startsWith('/_emulator/')) {
    await handleEmulatorRoute(ctx, deps.controls);
    return;
  }
  const decision = deps.faults.decide(ctx.method, `${url.pathname}${url.search}`, req.headers.host);
  if (decision.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  }
  ctx.tokenLifetimeSeconds = decision.tokenLifetimeSeconds;
  if (decision.ignoreArtifactType) {
    ctx.url.searchParams.delete('artifactType');
  }
  if (decision.paging) {
    breakNextLinks(res, req, decision.paging, 'link-header');
  }
  const outcome = decision.outcome;
  if (!outcome) {
    await handle(deps, ctx);
    return;
  }
  if (outcome.kind === 'reset-mid-body') {
    await handleThenResetMidBody(res, () => handle(deps, ctx), AFTER_HANDLING_TIMEOUT_MS, deps.log);
    return;
  }
  if (!outcome.afterHandling) {
    applyFault(ctx, outcome);
    return;
  }
  const interception = interceptResponse(res);
  const handled = handle(deps, ctx).catch((error: unknown) => deps.log(`handling before an injected fault failed: ${String(error)}`));
  await Promise.race([interception.done, handled.then(() => interception.done), delay(AFTER_HANDLING_TIMEOUT_MS)]);
  interception.restore();
  applyFault(ctx, outcome);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function applyFault(ctx: RequestContext, outcome: Exclude<NonNullable<FaultDecision['outcome']>, { kind: 'reset-mid-body' }>): void {
  if (outcome.kind === 'drop') {
    ctx.req.socket.destroy();
    return;
  }
  const { code, message } = errorCodeForStatus(outcome.status);
  const headers: Record<string, string> = {};
  if (outcome.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(outcome.retryAfterSeconds);
  }
  // The request body may be unread (fault before handling): drain it so the reply goes out cleanly.
  ctx.req.resume();
  sendAcrError(ctx.res, outcome.status, code, message, { headers, detail: outcome.status === 401 ? null : undefined });
}

function authorize(deps: DispatcherDeps, ctx: RequestContext, needed: NeededAccess): Principal | undefined {
  const auth = deps.authenticator.authenticate(ctx.req.headers.authorization);
  if (!auth.ok) {
    sendUnauthorized(ctx.res, deps.challenge, needed, auth.via === 'bearer' ? 'invalid_token' : undefined);
    return undefined;
  }
  const { principal } = auth;
  const allowed =
    needed.kind === 'login'
      ? principal.kind !== 'anonymous' || deps.authenticator.anonymousPull
      : principal.may(needed.type, needed.name, needed.action);
  if (allowed) {
    return principal;
  }
  if (principal.kind === 'anonymous') {
    sendUnauthorized(ctx.res, deps.challenge, needed);
  } else if (principal.via === 'basic') {
    sendDenied(ctx.res, needed);
  } else {
    sendUnauthorized(ctx.res, deps.challenge, needed, 'insufficient_scope');
  }
  return undefined;
}

async function handle(deps: DispatcherDeps, ctx: RequestContext): Promise<void> {
  if (await deps.tokenRoutes.handle(ctx)) {
    return;
  }
  const principal = authorize(deps, ctx, neededAccess(ctx.method, ctx.path));
  if (!principal) {
    ctx.req.resume();
    return;
  }
  ctx.principal = principal;
  const { path } = ctx;
  if (path === '/v2/' || path === '/v2') {
    sendJson(ctx.res, 200, {});
    return;
  }
  const referrers = REFERRERS.exec(path);
  if (referrers && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
    await handleReferrers(ctx, deps.metadata, referrers[1], referrers[2]);
    return;
  }
  if (path.startsWith('/v2/')) {
    await proxyV2(ctx, deps.proxy);
    return;
  }
  if (path.startsWith('/acr/v1/')) {
    await routeAcr(ctx, deps.acr);
    return;
  }
  sendAcrError(ctx.res, 404, 'NOT_FOUND', `no registry API at ${path}`);
}
