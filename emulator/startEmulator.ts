/**
 * Wires the emulator together: state, the docker-registry underneath, the conversion
 * scheduler, and the front server that speaks ACR's data-plane API.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AcrDeps } from './acr/acrRouter';
import { Authenticator } from './auth/authenticator';
import { TokenRoutes } from './auth/tokenRoutes';
import { DEFAULT_TENANT_ID, TokenService } from './auth/tokenService';
import { runConversion } from './conversion/conversionJob';
import { ConversionSpeed, DEFAULT_CONVERSION_BYTES_PER_SECOND } from './conversion/conversionSpeed';
import { ConversionScheduler } from './conversion/scheduler';
import { FaultInjector } from './faults/faultInjector';
import { seedEmulator } from './seed/index';
import type { FaultRule } from './faults/faultRule';
import { createDispatcher } from './http/dispatcher';
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
import type { EmulatorHandle, EmulatorOptions } from './types';
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

  // The front server listens first: its port is the login server that tokens name.
  let handler: Parameters<typeof createHttpServer>[1] = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => handler?.(req, res))
    : createHttpServer((req, res) => handler?.(req, res));
  const port = await listen(server, options.port ?? 0);
  const loginServer = `127.0.0.1:${port}`;
  const baseUrl = `${tls ? 'https' : 'http'}://${loginServer}`;
  const audiences = [loginServer, `localhost:${port}`];

  const layout = new StorageLayout(join(dataDir, 'registry'));
  const metadata = new RegistryMetadata(layout, (repository, tag) => state.state.tagTimes[repository]?.[tag]);
  const settings = new RepositorySettingsStore(state);
  const operations = new OperationStore(state);
  const speed = new ConversionSpeed(options.conversionBytesPerSecond ?? DEFAULT_CONVERSION_BYTES_PER_SECOND);
  const faults = new FaultInjector();
  const tokens = new TokenService(audiences);
  const authenticator = new Authenticator(
    { username, password, tokens: options.tokens ?? [], anonymousPull: options.anonymousPull === true },
    tokens,
  );

  // Events and the scheduler need each other; the holder breaks the cycle.
  const eventsHolder: { current?: RegistryEvents } = {};
  const notifications = await startNotificationsListener((body) => eventsHolder.current?.handleNotification(body) ?? Promise.resolve(), log);
  let upstreamRegistry;
  try {
    upstreamRegistry = await startUpstreamRegistry({ dataDir, notifyUrl: notifications.url, log });
  } catch (error) {
    await notifications.close();
    await closeServer(server);
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
    issueEntraTestToken: (o) => tokens.issueEntraTestToken(o),
    info: () => ({ url: baseUrl, loginServer, upstreamUrl: upstreamRegistry.url, dataDir, tenantId: DEFAULT_TENANT_ID }),
  };
  const acr: AcrDeps = { metadata, loginServer, upstream, events, state, baseUrl, settings, operations, scheduler };
  handler = createDispatcher({
    faults,
    tokenRoutes: new TokenRoutes(tokens, authenticator, audiences),
    authenticator,
    challenge: { baseUrl, loginServer },
    controls,
    acr,
    proxy: { upstreamUrl: new URL(upstreamRegistry.url), events, log },
    metadata,
    log,
  });
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
    setFaults: (rules) => faults.set(rules),
    clearFaults: () => faults.clear(),
    setConversionSpeed: (bytesPerSecond) => speed.set(bytesPerSecond),
    issueEntraTestToken: (o) => tokens.issueEntraTestToken(o),
    stop: () => {
      stopping ??= (async () => {
        await closeServer(server);
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
    const seedServer = tls ? createHttpServer((req, res) => handler?.(req, res)) : undefined;
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
  log(`ACR emulator listening on ${baseUrl} (registry storage ${layout.storageDir})`);
  return handle;
}
