/**
 * A stand-in for Microsoft's authentication provider, for the local emulator only: VS Code's
 * real sign-in needs Microsoft Entra, which cannot run here. It is registered only when the
 * extension host's environment names an emulator on this machine
 * (`ACR_STREAMING_TEST_ENTRA_URL=http://127.0.0.1:PORT`), and it gets its tokens from that
 * emulator, which issues them in Microsoft Entra's shape. Everything after the token (ARM
 * discovery, the ACR token exchange) runs exactly as with a real account.
 */
import * as vscode from 'vscode';
// zod/mini: this module loads at activation, where the panel protocol already brings it.
import * as z from 'zod/mini';
import { isLoopbackHost } from '../core/azure/loopback';
import { tenantScope } from '../services/entraCredential';

export const TEST_PROVIDER_ID = 'acr-streaming-test-entra';
export const TEST_PROVIDER_LABEL = 'Microsoft Entra (ACR emulator)';

const nonEmpty = () => z.string().check(z.minLength(1));

const tokenReply = z.object({
  token: nonEmpty(),
  expiresOnTimestamp: z.number(),
  account: z.object({ id: nonEmpty(), label: nonEmpty(), tenantId: nonEmpty() }),
});

interface StoredSession extends vscode.AuthenticationSession {
  expiresOnTimestamp: number;
}

// Renew a token this long before it expires, as MSAL does.
const RENEW_BEFORE_MS = 5 * 60_000;

/** The emulator URL from the environment, when it names a loopback address; else undefined. */
export function testEntraUrl(env: Record<string, string | undefined>): URL | undefined {
  const raw = env.ACR_STREAMING_TEST_ENTRA_URL;
  if (!raw) {
    return undefined;
  }
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Where the signed-in test account is remembered (not its tokens), so a window reload keeps it, as VS Code's own providers do. */
const ACCOUNT_KEY = 'acrStreaming.testEntraAccount';

const storedAccount = z.object({
  id: nonEmpty(),
  label: nonEmpty(),
  /** The scopes of the first sign-in: after a reload, the Accounts menu lists a session for them. */
  scopes: z.array(nonEmpty()).check(z.minLength(1)),
});

export class TestEntraProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  /** The account of the first sign-in; like Microsoft's home account, the same in every tenant. */
  private account: vscode.AuthenticationSessionAccountInformation | undefined;
  private signInScopes: readonly string[] = [];

  readonly onDidChangeSessions = this.changes.event;

  constructor(
    private readonly emulator: URL,
    private readonly state: vscode.Memento,
  ) {
    const saved = storedAccount.safeParse(state.get(ACCOUNT_KEY));
    if (saved.success) {
      this.account = { id: saved.data.id, label: saved.data.label };
      this.signInScopes = saved.data.scopes;
    }
  }

  /** Like Microsoft's provider: once an account is signed in, sessions for new scopes are made silently. */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    if (!this.account) {
      return [];
    }
    if (!scopes) {
      // VS Code's Accounts menu asks without scopes; after a reload, mint the sign-in's session again.
      return this.sessions.size > 0 ? [...this.sessions.values()] : [await this.sessionFor(this.signInScopes)];
    }
    return [await this.sessionFor(scopes)];
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const session = await this.sessionFor(scopes);
    this.changes.fire({ added: [session], removed: [], changed: [] });
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    const removed = [...this.sessions.entries()].filter(([, session]) => session.id === sessionId);
    for (const [key] of removed) {
      this.sessions.delete(key);
    }
    if (this.sessions.size === 0) {
      this.account = undefined;
      this.signInScopes = [];
      await this.state.update(ACCOUNT_KEY, undefined);
    }
    this.changes.fire({ added: [], removed: removed.map(([, session]) => session), changed: [] });
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async sessionFor(scopes: readonly string[]): Promise<StoredSession> {
    const key = [...scopes].sort().join(' ');
    const known = this.sessions.get(key);
    if (known && known.expiresOnTimestamp - RENEW_BEFORE_MS > Date.now()) {
      return known;
    }
    const tenantPrefix = tenantScope('');
    const tenantId = scopes.find((scope) => scope.startsWith(tenantPrefix))?.slice(tenantPrefix.length);
    const resourceScopes = scopes.filter((scope) => !scope.startsWith(tenantPrefix));
    const response = await fetch(new URL('/_emulator/entra-token', this.emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: resourceScopes, ...(tenantId ? { tenantId } : {}) }),
    });
    if (!response.ok) {
      throw new Error(`The emulator refused a test token (${response.status}).`);
    }
    const reply = tokenReply.parse(await response.json());
    // VS Code grants the extension access per account id: keep one across tenants.
    if (!this.account) {
      this.account = { id: reply.account.id, label: reply.account.label };
      this.signInScopes = [...scopes];
      await this.state.update(ACCOUNT_KEY, { ...this.account, scopes: this.signInScopes });
    }
    const session: StoredSession = {
      id: `${this.account.id}:${key}`,
      accessToken: reply.token,
      account: this.account,
      scopes: [...scopes],
      expiresOnTimestamp: reply.expiresOnTimestamp,
    };
    this.sessions.set(key, session);
    return session;
  }
}

export function registerTestEntraProvider(env: Record<string, string | undefined>, state: vscode.Memento): vscode.Disposable | undefined {
  const url = testEntraUrl(env);
  if (!url) {
    return undefined;
  }
  const provider = new TestEntraProvider(url, state);
  const registration = vscode.authentication.registerAuthenticationProvider(TEST_PROVIDER_ID, TEST_PROVIDER_LABEL, provider, { supportsMultipleAccounts: false });
  return vscode.Disposable.from(registration, provider);
}
