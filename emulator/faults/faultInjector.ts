/**
 * Holds the active fault rules and decides, per request, which of them fire. Every matching
 * latency rule adds its delay; the first status/drop rule that fires decides the outcome.
 */
import type { FaultRule } from './faultRule';
import { createPrng } from './prng';

const DEFAULT_SEED = 0x5eed;
const TOKEN_REQUEST = /^(GET|POST) \/oauth2\/token/;

export interface FaultDecision {
  latencyMs: number;
  outcome?:
    | { kind: 'status'; status: number; retryAfterSeconds?: number; afterHandling: boolean }
    | { kind: 'drop'; afterHandling: boolean }
    /** The real reply's headers and half its body, then a reset (always after handling). */
    | { kind: 'reset-mid-body' };
  /** Access tokens issued while handling this request expire after this many seconds. */
  tokenLifetimeSeconds?: number;
}

interface ActiveRule {
  rule: FaultRule;
  pattern?: RegExp;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random = createPrng(DEFAULT_SEED);

  set(rules: readonly FaultRule[]): void {
    this.random = createPrng(DEFAULT_SEED);
    this.rules = rules.map((rule) => ({
      rule: { ...rule },
      // A token-expiry rule without `match` concerns token requests only, so its `times` counts tokens.
      pattern: rule.match !== undefined ? new RegExp(rule.match) : rule.kind === 'token-expiry' ? TOKEN_REQUEST : undefined,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules with how many hits each has left (for `GET /_emulator/faults`). */
  list(): Array<FaultRule & { remaining: number | null }> {
    return this.rules.map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  decide(method: string, pathAndQuery: string): FaultDecision {
    const subject = `${method} ${pathAndQuery}`;
    const decision: FaultDecision = { latencyMs: 0 };
    for (const active of this.rules) {
      if (active.remaining <= 0 || (active.pattern && !active.pattern.test(subject))) {
        continue;
      }
      const { rule } = active;
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
      }
    }
    return decision;
  }
}
