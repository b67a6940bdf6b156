/**
 * Holds the active fault rules and decides, per request, which of them fire. Every matching
 * latency rule adds its delay; the first status/drop rule that fires decides the outcome (a
 * rate-limit rule with an empty bucket counts as a 429 status rule); a paging or
 * ignore-artifact-type rule changes how the request is answered.
 */
import type { FaultRule, PagingFaultMode } from './faultRule';
import { createPrng } from './prng';
import { RateLimiter, retryAfterSeconds } from './rateLimiter';

const DEFAULT_SEED = 0x5eed;
const TOKEN_REQUEST = /^(GET|POST) \/oauth2\/token/;
/** Without `match`, paging rules hit listings only (ACR, OCI referrers, ARM), not single items. */
const LISTING_REQUEST =
  /^GET \/(acr\/v1\/_catalog|acr\/v1\/.+\/_(tags|manifests)|v2\/.+\/referrers\/[^/?]+|tenants|subscriptions(\/[^/?]+\/providers\/Microsoft\.ContainerRegistry\/registries)?)(\?|$)/i;
const REFERRERS_REQUEST = /^GET \/v2\/.+\/referrers\//;

export interface FaultDecision {
  latencyMs: number;
  outcome?:
    | { kind: 'status'; status: number; retryAfterSeconds?: number; afterHandling: boolean }
    | { kind: 'drop'; afterHandling: boolean }
    /** The real reply's headers and half its body, then a reset (always after handling). */
    | { kind: 'reset-mid-body' };
  /** Access tokens issued while handling this request expire after this many seconds. */
  tokenLifetimeSeconds?: number;
  /** Break the next-page link of this listing's reply. */
  paging?: PagingFaultMode;
  /** Answer as if `?artifactType=` had not been asked (and say no filter was applied). */
  ignoreArtifactType?: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  pattern?: RegExp;
  remaining: number;
  /** rate-limit rules: their buckets, fresh at each `set`. */
  limiter?: RateLimiter;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random = createPrng(DEFAULT_SEED);

  /** `now`: the clock of rate-limit buckets (tests pass their own). */
  constructor(private readonly now: () => number = Date.now) {}

  set(rules: readonly FaultRule[]): void {
    this.random = createPrng(DEFAULT_SEED);
    this.rules = rules.map((rule) => ({
      rule: { ...rule },
      // A token-expiry rule without `match` concerns token requests only, so its `times` counts tokens.
      pattern: rule.match !== undefined ? new RegExp(rule.match) : defaultPattern(rule),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      limiter: rule.kind === 'rate-limit' ? new RateLimiter({ ratePerMinute: rule.ratePerMinute ?? 0, burst: rule.burst }, this.now) : undefined,
    }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules with how many hits each has left (for `GET /_emulator/faults`). */
  list(): Array<FaultRule & { remaining: number | null }> {
    return this.rules.map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  /** `host`: the request's login server (Host header), which rate-limit buckets are kept per. */
  decide(method: string, pathAndQuery: string, host = ''): FaultDecision {
    const subject = `${method} ${pathAndQuery}`;
    const decision: FaultDecision = { latencyMs: 0 };
    for (const active of this.rules) {
      if (active.remaining <= 0 || (active.pattern && !active.pattern.test(subject))) {
        continue;
      }
      const { rule } = active;
      if (rule.kind === 'rate-limit') {
        this.rateLimit(active, host, decision);
        continue;
      }
      if ((rule.kind === 'status' || rule.kind === 'drop' || rule.kind === 'reset-mid-body') && decision.outcome) {
        continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) {
        continue;
      }
      active.remaining -= 1;
      switch (rule.kind) {
        case 'latency':
          decision.latencyMs += rule.latencyMs ?? 0;
          break;
        case 'status':
          decision.outcome = {
            kind: 'status',
            status: rule.status ?? 500,
            retryAfterSeconds: rule.retryAfterSeconds,
            afterHandling: rule.afterHandling === true,
          };
          break;
        case 'drop':
          decision.outcome = { kind: 'drop', afterHandling: rule.afterHandling === true };
          break;
        case 'reset-mid-body':
          decision.outcome = { kind: 'reset-mid-body' };
          break;
        case 'token-expiry':
          decision.tokenLifetimeSeconds = rule.tokenLifetimeSeconds;
          break;
        case 'paging':
          decision.paging = rule.mode;
          break;
        case 'ignore-artifact-type':
          decision.ignoreArtifactType = true;
          break;
      }
    }
    return decision;
  }

  /** Refusals count against `times`; a request another rule already refused takes no token. */
  private rateLimit(active: ActiveRule, host: string, decision: FaultDecision): void {
    if (decision.outcome) {
      return;
    }
    const waitMs = active.limiter?.take(host.toLowerCase());
    if (waitMs === undefined) {
      return;
    }
    active.remaining -= 1;
    decision.outcome = { kind: 'status', status: 429, retryAfterSeconds: retryAfterSeconds(waitMs), afterHandling: false };
  }
}

function defaultPattern(rule: FaultRule): RegExp | undefined {
  switch (rule.kind) {
    case 'token-expiry':
      return TOKEN_REQUEST;
    case 'paging':
      return LISTING_REQUEST;
    case 'ignore-artifact-type':
      return REFERRERS_REQUEST;
    default:
      return undefined;
  }
}
