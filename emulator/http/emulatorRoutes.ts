/**
 * `/_emulator/*`: test-only controls (faults, conversion speed, Entra test tokens). Answered
 * only to loopback peers, without auth, never subject to faults.
 */
import { z } from 'zod';
import { parseFaultRules, type FaultRule } from '../faults/faultRule';
import type { EntraTestTokenOptions, IssuedEntraTestToken } from '../types';
import { sendAcrError, sendEmpty, sendJson } from './acrResponses';
import { isLoopbackPeer } from './loopback';
import { readJson } from './requestBody';
import type { RequestContext } from './requestContext';

export interface EmulatorControls {
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  listFaults(): unknown[];
  setConversionSpeed(bytesPerSecond: number): void;
  getConversionSpeed(): number;
  /** Throws (→ 400) for a tenant the Azure fixture does not have. */
  issueEntraTestToken(options?: EntraTestTokenOptions): IssuedEntraTestToken;
  info(): Record<string, unknown>;
}

const speedSchema = z.object({ bytesPerSecond: z.number().finite() }).strict();
const entraSchema = z
  .object({
    tenantId: z.string().min(1).max(100).optional(),
    objectId: z.string().min(1).max(100).optional(),
    expiresInSeconds: z.number().int().min(-86_400).max(86_400).optional(),
    scopes: z.array(z.string().min(1).max(500)).max(20).optional(),
  })
  .strict();

export async function handleEmulatorRoute(ctx: RequestContext, controls: EmulatorControls): Promise<void> {
  if (!isLoopbackPeer(ctx.req)) {
    sendAcrError(ctx.res, 403, 'DENIED', '/_emulator is only available from this machine');
    return;
  }
  const route = `${ctx.method} ${ctx.path}`;
  let body: unknown;
  try {
    body = ctx.method === 'POST' ? await readJson(ctx.req) : undefined;
  } catch {
    sendAcrError(ctx.res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
    return;
  }
  try {
    switch (route) {
      case 'GET /_emulator/faults':
        sendJson(ctx.res, 200, { rules: controls.listFaults() });
        return;
      case 'POST /_emulator/faults':
        controls.setFaults(parseFaultRules(body));
        sendJson(ctx.res, 200, { rules: controls.listFaults() });
        return;
      case 'DELETE /_emulator/faults':
        controls.clearFaults();
        sendEmpty(ctx.res, 204);
        return;
      case 'GET /_emulator/speed':
        sendJson(ctx.res, 200, { bytesPerSecond: controls.getConversionSpeed() });
        return;
      case 'POST /_emulator/speed': {
        const { bytesPerSecond } = speedSchema.parse(body);
        controls.setConversionSpeed(bytesPerSecond);
        sendJson(ctx.res, 200, { bytesPerSecond });
        return;
      }
      case 'POST /_emulator/entra-token': {
        const options = entraSchema.parse(body ?? {});
        sendJson(ctx.res, 200, controls.issueEntraTestToken(options));
        return;
      }
      case 'GET /_emulator/info':
        sendJson(ctx.res, 200, controls.info());
        return;
      default:
        sendAcrError(ctx.res, 404, 'NOT_FOUND', `no emulator control at ${route}`);
    }
  } catch (error) {
    sendAcrError(ctx.res, 400, 'BAD_REQUEST', error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : String((error as Error).message ?? error));
  }
}
