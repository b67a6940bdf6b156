/**
 * One session per registry: its connection (HTTP stack, auth) and its badge service. This is
 * the extension's only import boundary for the heavy modules: the core's HTTP stack and the
 * @azure SDK load here, on first use, through `await import()`; esbuild keeps them in the
 * bundle but evaluates them only then.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryCredentials } from '../core/auth/credentials';
import { AcrStreamingError } from '../core/errors';
import type { BadgeState } from '../core/badge/badgeState';
import type { BadgeService } from '../core/badge/badgeService';
import type { ConnectFunction, RegistryConnection } from '../core/connection';
import type { Logger } from '../core/logger';
import type { RegistryEndpoint } from '../core/reference';
import { assertAllowedRegistryTransport } from '../core/registryHost';
import type { TreeSession } from '../tree/registryTreeModel';
import type { Disposable } from './emitter';
import { PromiseCache } from './promiseCache';

export interface RegistrySession extends TreeSession {
  readonly endpoint: RegistryEndpoint;
  readonly connection: RegistryConnection;
  readonly badges: BadgeService;
}

/** What the manager needs of the registry store. */
export interface CredentialSource {
  /** May look the registry up (e.g. in Azure) when it is not known yet. */
  endpointOf(loginServer: string): RegistryEndpoint | undefined | Promise<RegistryEndpoint | undefined>;
  resolveCredentials(loginServer: string, entraCredential: (tenantId?: string) => TokenCredential): Promise<RegistryCredentials>;
}

export interface ConnectionManagerOptions {
  credentials: CredentialSource;
  entraCredential: (tenantId?: string) => TokenCredential;
  logger: Logger;
  userAgent: string;
  /** Badge look-ups in flight per registry. */
  badgeConcurrency: () => number;
  /** The user's `acrStreaming.allowInsecureRegistries`: plain http beyond loopback. Off when not given. */
  allowInsecure?: () => boolean;
  /** Tests pass their own; by default the core's `connect`, loaded on first use. */
  connect?: ConnectFunction;
  /** Tests pass their own; by default the core's BadgeService, loaded on first use. */
  createBadgeService?: (connection: RegistryConnection, concurrency: number) => BadgeService;
}

const INSECURE_OPT_IN = 'acrStreaming.allowInsecureRegistries in your user settings';

export class ConnectionManager implements Disposable {
  /** A failure (no password stored, bad setting) is not cached: the next call retries. */
  private readonly sessions = new PromiseCache<string, RegistrySession>();
  private readonly ready = new Map<string, RegistrySession>();
  private generation = 0;

  constructor(private readonly options: ConnectionManagerOptions) {}

  /** The session for a registry, created (and credentials resolved) on first use. */
  session(loginServer: string): Promise<RegistrySession> {
    return this.sessions.get(loginServer, () => {
      const generation = this.generation;
      const pending: Promise<RegistrySession> = this.create(loginServer).then((session) => {
        // A sign-in change while we connected made this one stale: drop it, keep the answer.
        if (generation === this.generation && this.sessions.peek(loginServer) === pending) {
          this.ready.set(loginServer, session);
        }
        return session;
      });
      return pending;
    });
  }

  /** The session if it already exists; never connects. */
  peek(loginServer: string): RegistrySession | undefined {
    return this.ready.get(loginServer);
  }

  /** Drops a cached badge (refresh, conversion ended). */
  forgetBadge(loginServer: string, repository: string, digest: string): void {
    this.ready.get(loginServer)?.badges.invalidate(repository, digest);
  }

  /** Forgets a registry's session: tokens and caches go; the next use connects again. */
  forget(loginServer: string): void {
    this.generation++;
    const session = this.ready.get(loginServer);
    this.ready.delete(loginServer);
    this.sessions.delete(loginServer);
    if (session) {
      session.connection.clearTokens();
      session.badges.dispose();
    }
  }

  forgetAll(): void {
    for (const loginServer of this.sessions.keys()) {
      this.forget(loginServer);
    }
  }

  dispose(): void {
    this.forgetAll();
  }

  private async create(loginServer: string): Promise<RegistrySession> {
    const endpoint = await this.options.credentials.endpointOf(loginServer);
    if (!endpoint) {
      throw new AcrStreamingError('INVALID_INPUT', `${loginServer} is not in the registry list.`, {
        hint: 'Add it with "ACR Streaming: Add Registry…".',
      });
    }
    // Before any credential is looked up: nothing is sent over plain http to a non-loopback host
    // unless the user (not a workspace) opted in.
    assertAllowedRegistryTransport(endpoint.baseUrl, this.options.allowInsecure?.() ?? false, INSECURE_OPT_IN);
    const credentials = await this.options.credentials.resolveCredentials(loginServer, this.options.entraCredential);
    const connect = this.options.connect ?? (await import('../core/connect.js')).connect;
    const connection = connect(endpoint, credentials, { logger: this.options.logger, userAgent: this.options.userAgent });
    const concurrency = Math.max(1, this.options.badgeConcurrency());
    let badges: BadgeService;
    if (this.options.createBadgeService) {
      badges = this.options.createBadgeService(connection, concurrency);
    } else {
      const { BadgeService: Service } = await import('../core/badge/badgeService.js');
      badges = new Service(connection.registry, connection.streaming, { concurrency });
    }
    this.options.logger.debug(`Connected to ${loginServer} (${credentials.kind}).`);
    return {
      endpoint,
      connection,
      badges,
      registry: connection.registry,
      streaming: connection.streaming,
      loadBadge: async (repository: string, digest: string, signal?: AbortSignal): Promise<BadgeState> =>
        (await badges.getBadge(repository, digest, { signal })).badge,
    };
  }
}
