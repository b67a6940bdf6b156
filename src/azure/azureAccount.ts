/**
 * The Azure account the extension works as: a session of VS Code's Microsoft authentication
 * provider (or the sovereign-cloud one, or a test provider), turned into TokenCredentials for
 * ARM and the ACR token exchange. VS Code is reached through `AuthenticationApi`, so this
 * module runs under plain Node in tests.
 *
 * Extensions cannot remove an account from VS Code; "sign out" here means this extension stops
 * using it (remembered across reloads) until the user signs in again.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureCloud } from '../core/azure/clouds';
import type { Logger } from '../core/logger';
import { Emitter, type Disposable, type Subscribe } from '../services/emitter';
import { tenantScope, VsCodeSessionCredential } from '../services/entraCredential';
import type { StateStore } from '../services/registryStore';

export interface AuthSession {
  readonly accessToken: string;
  readonly account: { readonly id: string; readonly label: string };
}

/** The part of `vscode.authentication` the account uses. */
export interface AuthenticationApi {
  getSession(providerId: string, scopes: readonly string[], options: { createIfNone?: boolean; silent?: boolean }): PromiseLike<AuthSession | undefined>;
  onDidChangeSessions(listener: (providerId: string) => void): Disposable;
}

export type AzureAccountState = { kind: 'signedOut' } | { kind: 'signedIn'; label: string; accountId: string };

export const SIGNED_OUT_KEY = 'acrStreaming.azure.signedOut';

export class AzureAccount implements Disposable {
  private current: AzureAccountState = { kind: 'signedOut' };
  private readonly changes = new Emitter<AzureAccountState>();
  private readonly subscription: Disposable;
  private checking: Promise<void> | undefined;

  /** Fires when the account signs in or out (here or in VS Code's Accounts menu). */
  readonly onDidChange: Subscribe<AzureAccountState> = this.changes.event;

  constructor(
    private readonly auth: AuthenticationApi,
    private readonly cloud: () => AzureCloud,
    private readonly state: StateStore,
    private readonly logger: Logger,
  ) {
    this.subscription = auth.onDidChangeSessions((providerId) => {
      if (providerId === this.cloud().authenticationProvider) {
        void this.restore();
      }
    });
  }

  get status(): AzureAccountState {
    return this.current;
  }

  get isSignedIn(): boolean {
    return this.current.kind === 'signedIn';
  }

  /** Looks for a session without prompting (activation, provider or cloud changes). */
  restore(): Promise<void> {
    this.checking ??= this.lookUpSilently().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /**
   * Asks VS Code for a session, prompting the user to sign in when there is none; with a tenant,
   * for that tenant (one that needs its own sign-in, e.g. multi-factor).
   */
  async signIn(tenantId?: string): Promise<AzureAccountState> {
    const cloud = this.cloud();
    const scopes = tenantId ? [cloud.managementScope, tenantScope(tenantId)] : [cloud.managementScope];
    const session = await this.auth.getSession(cloud.authenticationProvider, scopes, { createIfNone: true });
    if (!session) {
      return this.current;
    }
    await this.state.update(SIGNED_OUT_KEY, false);
    this.set({ kind: 'signedIn', label: session.account.label, accountId: session.account.id });
    this.logger.info(`Signed in to ${cloud.displayName} as ${session.account.label}.`);
    return this.current;
  }

  /** Stops using the account until the next sign-in; listeners drop what they cached for it. */
  async signOut(): Promise<void> {
    await this.state.update(SIGNED_OUT_KEY, true);
    this.set({ kind: 'signedOut' });
    this.logger.info('Signed out of Azure.');
  }

  /**
   * A credential for one tenant (the account's home tenant when none). It never prompts: a
   * tree that loads in the background must not pop sign-in dialogs.
   */
  credential(tenantId?: string): TokenCredential {
    return new VsCodeSessionCredential(async (scopes) => {
      if (!this.isSignedIn) {
        return undefined;
      }
      return this.auth.getSession(this.cloud().authenticationProvider, scopes, { silent: true });
    }, tenantId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }

  private async lookUpSilently(): Promise<void> {
    if (this.state.get<boolean>(SIGNED_OUT_KEY) === true) {
      this.set({ kind: 'signedOut' });
      return;
    }
    const cloud = this.cloud();
    let session: AuthSession | undefined;
    try {
      session = await this.auth.getSession(cloud.authenticationProvider, [cloud.managementScope], { silent: true });
    } catch (error) {
      // A provider that is not registered (sovereign cloud not set up, test provider absent).
      this.logger.warn(`No ${cloud.displayName} session: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.state.get<boolean>(SIGNED_OUT_KEY) === true) {
      return; // signed out while we looked: that wins
    }
    this.set(session ? { kind: 'signedIn', label: session.account.label, accountId: session.account.id } : { kind: 'signedOut' });
  }

  private set(next: AzureAccountState): void {
    const same =
      next.kind === this.current.kind && (next.kind === 'signedOut' || (this.current.kind === 'signedIn' && this.current.accountId === next.accountId));
    this.current = next;
    if (!same) {
      this.changes.fire(next);
    }
  }
}
