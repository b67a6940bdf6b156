/** Tokens by key (a scope, or the refresh token), each dropped a little before it expires. */
import { jwtExpiry } from './jwt';

/** Refresh this long before expiry so a token never expires in flight. */
export const EXPIRY_MARGIN_MS = 60_000;
/** Lifetime assumed for tokens that carry no readable expiry. */
export const UNKNOWN_LIFETIME_MS = 60_000;

interface Entry {
  token: string;
  expiresAt: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt - EXPIRY_MARGIN_MS <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  set(key: string, token: string): void {
    const expiresAt = jwtExpiry(token) ?? this.now() + UNKNOWN_LIFETIME_MS + EXPIRY_MARGIN_MS;
    this.entries.set(key, { token, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
