/**
 * Wires the emulator together: state, the docker-registry underneath, the conversion
 * scheduler, the front server that speaks ACR's data-plane API (plus one listener per fixture
 * registry that has a data plane of its own, over the same storage), and the listener that
 * answers the part of Azure Resource Manager the extension reads.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AcrDeps } from './acr/acrRouter';
import { Authenticator } from './auth/authenticator';
import { TokenRoutes } from './auth/tokenRoutes';
import { DEFAULT_TENANT_ID, TokenService } from './auth/tokenService';
import { armAudiences } from './azure/audiences';
import { checkAzureFixture, DEFAULT_AZURE_FIXTURE, resolveAzureFixture } from './azure/azureFixture';
import { createArmHandler } from './azure/armHandler';
import { streamingRefusalByHost } from './azure/streamingSupport';
import { runConversion } from './conversion/conversionJob';
import { ConversionSpeed, DEFAULT_CONVERSION_BYTES_PER_SECOND } from './conversion/conversionSpeed';
import { ConversionScheduler } from './conversion/scheduler';
import { FaultInjector } from './faults/faultInjector';
import { seedEmulator } from './seed/index';
import type { FaultRule } from './faults/faultRule';
import { createDispatcher } from './http/dispatcher';
import { RequestCounter, type ListenerRole } from './http/requestCounter';
import type { EmulatorControls } from './http/emulatorRoutes';
import { OperationStore } from './operations/operationStore';
import { FallbackTagWriter } from './referrers/fallbackTagWriter';
import { RegistryMetadata } from './registry/metadataCache';
import { startNotificationsListener } from './registry/notificationsListener';
import { RegistryEvents } from './registry/registryEvents';
import { StorageLayout } from './registry/storageLayout';
import { StateStore } from './state/stateStore';
import { RepositorySettingsStore } from './streaming/repositorySettings';
import { loadOrCreateCertificate } from './tls/certificate';
import type { AzureFixture, EmulatorHandle, EmulatorOptions, EntraTestTokenOptions, IssuedEntraTestToken } from './types';
import { startUpstreamRegistry } from './upstream/registryProcess';
import { UpstreamClient } from './upstream/upstreamClient';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

/** A listener whose handler is set once everything behind it exists (it answers 503 until then). */
interface Listener {
  server: Server;
  port: number;
  setHandler(handler: RequestListener): void;
}

async function openListener(tls: { cert: string; key: string } | undefined, port: number, role: ListenerRole, counter: RequestCounter): Promise<Listener> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503).end();
  };
  const serve: RequestListener = (req, res) => {
    counter.count(role, req.method ?? 'GET', req.url ?? '/');
    handler(req, res);
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, serve) : createHttpServer(serve);
  return { server, port: await listen(server, port), setHandler: (h) => (handler = h) };
}

/** A token for a tenant of the fixture (the `/_emulator/entra-token` control refuses others). */
function issueForKnownTenant(tokens: TokenService, azure: AzureFixture, options: EntraTestTokenOptions): IssuedEntraTestToken {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  if (!azure.tenants.some((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase())) {
    throw new Error(`unknown tenant "${tenantId}"; the emulator's tenants are ${azure.tenants.map((t) => `${t.tenantId} (${t.displayName})`).join(', ')}`);
  }
  return tokens.issueEntraTestTokenWithAccount(options);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const log = options.log ?? (() => undefined);
  // A temporary data folder made here is removed again on stop; a given one is kept.
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ? resolve(options.dataDir) : await mkdtemp(join(tmpdir(), 'acr-emulator-'));
  await mkdir(dataDir, { recursive: true });
  const username = options.username ?? 'acrstreaming';
  const password = options.password ?? randomBytes(18).toString('base64url');

  const state = await StateStore.load(dataDir, log);
  const tls = options.tls ? await loadOrCreateCertificate(dataDir) : undefined;

  // The listeners open first: their ports are the login servers (and ARM URL) that tokens name.
  const scheme = tls ? 'https' : 'http';
  const azureInput = options.azure ?? DEFAULT_AZURE_FIXTURE;
  checkAzureFixture(azureInput);
  const requests = new RequestCounter();
  const main = await openListener(tls, options.port ?? 0, 'registry', requests);
  const listeners: Listener[] = [main];
  const arm = await openListener(tls, 0, 'arm', requests);
  listeners.push(arm);
  const port = main.port;
  const loginServer = `127.0.0.1:${port}`;
  const baseUrl = `${scheme}://${loginServer}`;
  const audiences = [loginServer, `localhost:${port}`];
  const armUrl = `${scheme}://127.0.0.1:${arm.port}`;
  // Registries with a data plane of their own: one more listener each, same storage behind.
  const ownListeners = new Map<string, Listener>();
  for (const registry of azureInput.registries.filter((r) => r.dataPlane === 'own')) {
    const listener = await openListener(tls, 0, 'registry', requests);
    listeners.push(listener);
    ownListeners.set(registry.name, listener);
  }
  const azure = resolveAzureFixture(azureInput, (name, choice) => {
    const server = choice === 'own' ? `127.0.0.1:${ownListeners.get(name)?.port}` : choice === 'localhost' ? `localhost:${port}` : loginServer;
    return { loginServer: server, url: `${scheme}://${server}` };
  });
  const closeListeners = () => Promise.all(listeners.map((l) => closeServer(l.server)));

  const layout = new StorageLayout(join(dataDir, 'registry'));
  const metadata = new RegistryMetadata(layout, (repository, tag) => state.state.tagTimes[repository]?.[tag]);
  const settings = new RepositorySettingsStore(state);
  const operations = new OperationStore(state);
  const speed = new ConversionSpeed(options.conversionBytesPerSecond ?? DEFAULT_CONVERSION_BYTES_PER_SECOND);
  const faults = new FaultInjector();
  const tenantDomain = (tenantId: string) => azure.tenants.find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase())?.defaultDomain;
  const tokens = new TokenService(audiences, { tenantDomain, armAudiences: armAudiences(armUrl) });
  const authSettings = { username, password, tokens: options.tokens ?? [], anonymousPull: options.anonymousPull === true };

  // Events and the scheduler need each other; the holder breaks the cycle.
  const eventsHolder: { current?: RegistryEvents } = {};
  const notifications = await startNotificationsListener((body) => eventsHolder.current?.handleNotification(body) ?? Promise.resolve(), log);
  let upstreamRegistry;
  try {
    upstreamRegistry = await startUpstreamRegistry({ dataDir, notifyUrl: notifications.url, log });
  } catch (error) {
    await notifications.close();
    await closeListeners();
    throw error;
  }
  const upstream = new UpstreamClient(upstreamRegistry.url);
  const fallback = new FallbackTagWriter(upstream, metadata, log);
  const scheduler = new ConversionScheduler({
    operations,
    metadata,
    log,
    run: (repository, source, signal, report) =>
      runConversion(
        {
          upstream,
          speed,
          afterArtifactPushed: async (repo, artifactDigest, subjectDigest) => {
            await eventsHolder.current?.manifestPushed(repo, artifactDigest);
            await fallback.update(repo, subjectDigest);
          },
        },
        repository,
        source,
        signal,
        report,
      ),
  });
  const events = new RegistryEvents({ metadata, state, settings, operations, scheduler, fallback, upstream, log });
  eventsHolder.current = events;

  const controls: EmulatorControls = {
    setFaults: (rules: FaultRule[]) => faults.set(rules),
    clearFaults: () => faults.clear(),
    listFaults: () => faults.list(),
    setConversionSpeed: (bytesPerSecond) => speed.set(bytesPerSecond),
    getConversionSpeed: () => speed.get(),
    issueEntraTestToken: (o) => issueForKnownTenant(tokens, azure, o ?? {}),
    info: () => ({ url: baseUrl, loginServer, upstreamUrl: upstreamRegistry.url, dataDir, tenantId: DEFAULT_TENANT_ID, armUrl, azure }),
  };
  const streamingRefusal = streamingRefusalByHost(azure.registries);
  // One dispatcher per data-plane listener: the same storage, scheduler and faults, but its own
  // login server in challenges, replies and tokens (an ACR token of one is refused by another).
  const dataPlane = (listenerLoginServer: string, listenerAudiences: string[]): RequestListener => {
    const listenerTokens = tokens.forAudiences(listenerAudiences);
    const listenerUrl = `${scheme}://${listenerLoginServer}`;
    const authenticator = new Authenticator(authSettings, listenerTokens);
    const acr: AcrDeps = { metadata, loginServer: listenerLoginServer, upstream, events, state, baseUrl: listenerUrl, settings, operations, scheduler, streamingRefusal };
    return createDispatcher({
      faults,
      tokenRoutes: new TokenRoutes(listenerTokens, authenticator, listenerAudiences),
      authenticator,
      challenge: { baseUrl: listenerUrl, loginServer: listenerLoginServer },
      controls,
      acr,
      proxy: { upstreamUrl: new URL(upstreamRegistry.url), events, log },
      metadata,
      log,
    });
  };
  const handler = dataPlane(loginServer, audiences);
  main.setHandler(handler);
  for (const listener of ownListeners.values()) {
    const server = `127.0.0.1:${listener.port}`;
    listener.setHandler(dataPlane(server, [server, `localhost:${listener.port}`]));
  }
  arm.setHandler(
    createArmHandler({
      armUrl,
      fixture: azure,
      verifyEntraToken: (token) => tokens.verifyEntraToken(token),
      audiences: armAudiences(armUrl),
      pageSize: options.armPageSize,
      registrySettings: { adminUserEnabled: true, anonymousPullEnabled: options.anonymousPull === true },
      faults,
      log,
    }),
  );
  scheduler.resume();

  const saveOnExit = () => {
    try {
      state.flushSync();
    } catch {
      // exiting anyway
    }
  };
  process.once('exit', saveOnExit);

  let stopping: Promise<void> | undefined;
  const handle: EmulatorHandle = {
    url: baseUrl,
    loginServer,
    username,
    password,
    caCertPath: tls?.certPath,
    dataDir,
    upstreamUrl: upstreamRegistry.url,
    tenantId: DEFAULT_TENANT_ID,
    armUrl,
    azure,
    setFaults: (rules) => faults.set(rules),
    clearFaults: () => faults.clear(),
    setConversionSpeed: (bytesPerSecond) => speed.set(bytesPerSecond),
    requests: { snapshot: () => requests.snapshot(), reset: () => requests.reset() },
    issueEntraTestToken: (o) => tokens.issueEntraTestToken(o),
    entraTestCredential: (o = {}) => ({
      getToken: async (scopes) => {
        const issued = tokens.issueEntraTestTokenWithAccount({ ...o, scopes: typeof scopes === 'string' ? [scopes] : scopes });
        return { token: issued.token, expiresOnTimestamp: issued.expiresOnTimestamp };
      },
    }),
    stop: () => {
      stopping ??= (async () => {
        await closeListeners();
        await scheduler.stop();
        await notifications.close();
        await upstreamRegistry.stop();
        await state.close();
        process.off('exit', saveOnExit);
        if (ownsDataDir) {
          await rm(dataDir, { recursive: true, force: true });
        }
        log('emulator stopped');
      })();
      return stopping;
    },
  };

  if (options.seed) {
    // This process's fetch() does not trust the self-signed certificate, so with TLS on the
    // seed talks to the same handler through a plain-HTTP loopback listener open only meanwhile.
    const seedServer = tls ? createHttpServer((req, res) => handler(req, res)) : undefined;
    try {
      const seedUrl = seedServer ? `http://127.0.0.1:${await listen(seedServer, 0)}` : baseUrl;
      await seedEmulator({ url: seedUrl, username, password, dataDir }, log);
    } catch (error) {
      await handle.stop();
      throw error;
    } finally {
      if (seedServer?.listening) {
        await closeServer(seedServer);
      }
    }
  }
  log(`ACR emulator listening on ${baseUrl} (registry storage ${layout.storageDir}); Azure Resource Manager on ${armUrl}`);
  return handle;
}
