/**
 * Fault rules for tests: what to do to matching requests. Validated here because they also
 * arrive over HTTP (`POST /_emulator/faults`).
 */
import { z } from 'zod';

export type FaultKind = 'latency' | 'status' | 'drop' | 'token-expiry' | 'paging' | 'ignore-artifact-type' | 'rate-limit' | 'reset-mid-body';

/**
 * paging: how the next-page link of a listing is broken. `repeat`: it points to the page just
 * read; `cycle`: a page reached through a link points back to the first page (A→B→A);
 * `foreign-origin`: it points to another host; `foreign-path`: to another path on this host.
 */
export type PagingFaultMode = 'repeat' | 'cycle' | 'foreign-origin' | 'foreign-path';
export const PAGING_FAULT_MODES: readonly PagingFaultMode[] = ['repeat', 'cycle', 'foreign-origin', 'foreign-path'];

export interface FaultRule {
  /** Regular expression tested against `METHOD /path?query`; default: every request. */
  match?: string;
  /** How many requests it hits; default unlimited. */
  times?: number;
  kind: FaultKind;
  /** latency: delay before handling. */
  latencyMs?: number;
  /** status: the HTTP status to answer with (429, 500, 502, 503…). */
  status?: number;
  /** status: `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
  /** 0–1; drawn from a seeded PRNG so runs repeat. Default 1. */
  probability?: number;
  /** status/drop: handle the request for real first, then lose or replace the reply. (reset-mid-body always does.) */
  afterHandling?: boolean;
  /** token-expiry: lifetime of access tokens issued by matching token requests. */
  tokenLifetimeSeconds?: number;
  /** paging: how the listing's next link (`Link` header, or ARM's `nextLink`) is broken. */
  mode?: PagingFaultMode;
  /** rate-limit: requests a minute per login server; over it, 429 + Retry-After. `times` counts refusals. */
  ratePerMinute?: number;
  /** rate-limit: requests allowed at once after a quiet spell; default one second's worth. */
  burst?: number;
}

const faultRuleSchema = z
  .object({
    match: z.string().max(1000).optional(),
    times: z.number().int().min(0).optional(),
    kind: z.enum(['latency', 'status', 'drop', 'token-expiry', 'paging', 'ignore-artifact-type', 'rate-limit', 'reset-mid-body']),
    latencyMs: z.number().min(0).max(600_000).optional(),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().min(0).max(86_400).optional(),
    probability: z.number().min(0).max(1).optional(),
    afterHandling: z.boolean().optional(),
    tokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
    mode: z.enum(PAGING_FAULT_MODES as [PagingFaultMode, ...PagingFaultMode[]]).optional(),
    ratePerMinute: z.number().positive().max(10_000_000).optional(),
    burst: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === 'status' && rule.status === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a "status" rule needs "status"' });
    }
    if (rule.kind === 'latency' && rule.latencyMs === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a "latency" rule needs "latencyMs"' });
    }
    if (rule.kind === 'token-expiry' && rule.tokenLifetimeSeconds === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a "token-expiry" rule needs "tokenLifetimeSeconds"' });
    }
    if (rule.kind === 'paging' && rule.mode === undefined) {
      ctx.addIssue({ code: 'custom', message: `a "paging" rule needs "mode" (${PAGING_FAULT_MODES.join(', ')})` });
    }
    if (rule.kind === 'rate-limit' && rule.ratePerMinute === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a "rate-limit" rule needs "ratePerMinute"' });
    }
    if (rule.match !== undefined) {
      try {
        new RegExp(rule.match);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"match" is not a valid regular expression: ${rule.match}` });
      }
    }
  });

/** Accepts `[rule…]` or `{ "rules": [rule…] }`; throws with a readable message otherwise. */
export function parseFaultRules(input: unknown): FaultRule[] {
  const list = Array.isArray(input) ? input : (input as { rules?: unknown } | null)?.rules;
  const result = z.array(faultRuleSchema).max(100).safeParse(list);
  if (!result.success) {
    throw new Error(`Invalid fault rules: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
