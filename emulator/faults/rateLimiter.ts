/**
 * The `rate-limit` fault: a token bucket per login server (the request's Host), as ACR meters
 * reads per registry (Premium 10,000 a minute, Standard 3,000, Basic 1,000) and Resource
 * Manager per client (250 burst, 25 a second). Empty bucket → 429 with Retry-After.
 */
export interface RateLimit {
  /** Tokens added per minute. */
  ratePerMinute: number;
  /** Bucket size: requests allowed at once after a quiet spell; default one second's worth (at least 1). */
  burst?: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;

  constructor(
    limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = limit.ratePerMinute / 60_000;
    this.burst = Math.max(1, limit.burst ?? Math.ceil(limit.ratePerMinute / 60));
  }

  /** Takes a token for `key`: undefined when there was one, else the ms until the next one. */
  take(key: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, refilledAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.refilledAt) * this.perMs);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return this.perMs > 0 ? (1 - bucket.tokens) / this.perMs : Number.POSITIVE_INFINITY;
  }
}

/** Retry-After in whole seconds (as ACR and ARM send it), at least 1, at most a day. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.min(86_400, Math.max(1, Math.ceil(waitMs / 1000)));
}
