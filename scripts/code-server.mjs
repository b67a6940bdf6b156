// A real VS Code (code-server, VS Code 1.99 in the browser) for `npm start` and the e2e tests.
// VS Code desktop cannot be downloaded on these machines; code-server comes from npm.
// See /work/shared/docs/real-vscode-tests.md for why each step is here.
//
// CLI:
//   node scripts/code-server.mjs ensure                       installs (once) and prints the binary
//   node scripts/code-server.mjs launch --vsix X [--port P] [--folder F] [--settings JSON]
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.99.4';
// The @vscode/ripgrep release code-server 4.99.x depends on, and the asset its postinstall fetches.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const MARKER = '.acr-streaming-installed';

/** Folder shared by every checkout on this machine, outside the repo so `git clean` keeps it. */
export function cacheDir() {
  return process.env.ACR_STREAMING_CACHE ?? path.join(os.homedir(), '.cache', 'acr-streaming');
}

function codeServerBin(installDir) {
  return path.join(installDir, 'node_modules', '.bin', 'code-server');
}

let ensuring;

/**
 * Installs code-server once into the cache and resolves to the path of its binary.
 * Installs into a scratch folder and renames it into place, so an interrupted or concurrent
 * install never leaves a half-populated folder that looks finished.
 */
export function ensureCodeServer({ log = (m) => console.error(m) } = {}) {
  ensuring ??= install(log).finally(() => { ensuring = undefined; });
  return ensuring;
}

async function install(log) {
  const installDir = path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = codeServerBin(installDir);
  if (existsSync(path.join(installDir, MARKER)) && existsSync(bin)) return bin;

  mkdirSync(cacheDir(), { recursive: true });
  seedRipgrepCache();
  const scratch = mkdtempSync(path.join(cacheDir(), `.code-server-${CODE_SERVER_VERSION}-`));
  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${installDir} (once; about a minute)…`);
  try {
    // A package.json of its own stops npm from walking up into some other project.
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'acr-streaming-code-server', private: true }, null, 2));
    const npm = await run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: scratch,
      env: { ...process.env, npm_config_yes: 'true' },
    });
    if (npm.code !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${npm.code}):\n${tail(npm.output, 40)}`);
    if (!existsSync(codeServerBin(scratch))) throw new Error(`npm install finished but ${codeServerBin(scratch)} is missing`);
    writeFileSync(path.join(scratch, MARKER), `${new Date().toISOString()}\n`);
    if (existsSync(installDir)) {
      // Another process finished first, or an old unmarked attempt is in the way.
      if (existsSync(path.join(installDir, MARKER))) {
        rmSync(scratch, { recursive: true, force: true });
        return bin;
      }
      rmSync(installDir, { recursive: true, force: true });
    }
    renameSync(scratch, installDir);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return bin;
}

/**
 * code-server's postinstall downloads ripgrep from GitHub, which is unreachable here.
 * @vscode/ripgrep looks in this cache first, so Debian's rg is put there as the release asset.
 */
function seedRipgrepCache() {
  const dir = path.join(os.tmpdir(), RIPGREP_CACHE_DIR);
  const tarball = path.join(dir, RIPGREP_ASSET);
  if (existsSync(tarball)) return;
  const rg = '/usr/bin/rg';
  if (!existsSync(rg)) throw new Error('ripgrep is missing: apt-get install -y ripgrep (code-server cannot download it here)');
  mkdirSync(dir, { recursive: true });
  const partial = `${tarball}.${process.pid}.partial`;
  execFileSync('tar', ['-czf', partial, '-C', path.dirname(rg), path.basename(rg)]);
  renameSync(partial, tarball);
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be bound now. */
export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A trusted window with nothing else competing for the 2 cores or trying to reach the internet.
const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false, // otherwise restricted mode: the extension does not load
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'remote.autoForwardPorts': false, // the emulator's ports are local already
};

// Servers run in their own process group (so stop() reaches the extension host too), which also
// means a signal that kills this process would not reach them: take them along on the way out.
const liveGroups = new Set();
const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killLiveGroups() {
  for (const pid of liveGroups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  liveGroups.clear();
}

function onFatalSignal(signal) {
  killLiveGroups();
  for (const name of FATAL_SIGNALS) process.removeListener(name, onFatalSignal);
  process.kill(process.pid, signal); // die of the signal as if nobody had listened
}

/** For signals nobody else handles (a test runner killed by CI); callers with handlers (start.mjs) stop us themselves. */
function guardSignals() {
  for (const name of FATAL_SIGNALS) {
    if (process.listenerCount(name) === 0) process.once(name, onFatalSignal);
  }
}

process.once('exit', killLiveGroups);

/**
 * Starts code-server with the extension installed into fresh user-data and extensions folders.
 * Returns once the server answers HTTP: `{ url, port, pid, root, userDataDir, extensionsDir,
 * logFile, exited, stop }` (`exited` settles when the server ends; `stop()` ends its whole
 * process group and deletes `root` unless `keepUserData`).
 * @param {{ vsixPath: string, port?: number, folder?: string, settings?: Record<string, unknown>,
 *   env?: Record<string, string>, keepUserData?: boolean, log?: (m: string) => void }} options
 */
export async function launchCodeServer({ vsixPath, port, folder, settings = {}, env = {}, keepUserData = false, log = () => {} }) {
  if (!vsixPath || !existsSync(vsixPath)) throw new Error(`vsix not found: ${vsixPath}`);
  const bin = await ensureCodeServer({ log });
  const root = mkdtempSync(path.join(os.tmpdir(), 'acr-streaming-vscode-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  // code-server would otherwise create ~/.config/code-server/config.yaml with a password.
  const configFile = path.join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const dirArgs = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const install = await run(bin, [...dirArgs, '--install-extension', path.resolve(vsixPath)]);
  if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`code-server could not install ${vsixPath} (exit ${install.code}):\n${install.output}`);
  }

  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2),
  );

  const chosenPort = port ?? (await freePort());
  const logFile = path.join(root, 'code-server.log');
  const args = [
    ...dirArgs,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(folder ? [folder] : []),
  ];
  const out = openSync(logFile, 'a');
  const child = spawn(bin, args, {
    detached: true, // own process group: stop() ends the extension host and watchers too
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  closeSync(out);
  liveGroups.add(child.pid);
  guardSignals();
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => { exited = { code, signal }; liveGroups.delete(child.pid); resolve(); }));

  const url = `http://127.0.0.1:${chosenPort}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    // Extension host and watchers may outlive the main process by a moment.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    liveGroups.delete(child.pid);
    if (!keepUserData) rmSync(root, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const output = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before answering on ${url}:\n${tail(output, 40)}`);
    }
    if (await answers(`${url}/healthz`)) break;
    if (Date.now() > deadline) {
      const output = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${tail(output, 40)}`);
    }
    await delay(200);
  }
  log(`code-server ready on ${url}`);
  const exitedInfo = exitPromise.then(() => exited);
  return { url, port: chosenPort, pid: child.pid, root, userDataDir, extensionsDir, logFile, exited: exitedInfo, stop };
}

/**
 * The extension host logs, newest first. A window reload starts a new extension host
 * (exthost2, …), so all of them are returned.
 */
export function findExthostLogs(userDataDir) {
  const logsDir = path.join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return [];
  const found = [];
  for (const session of readdirSync(logsDir)) {
    const sessionDir = path.join(logsDir, session);
    if (!statSync(sessionDir).isDirectory()) continue;
    for (const host of readdirSync(sessionDir)) {
      if (!/^exthost\d+$/.test(host)) continue;
      const file = path.join(sessionDir, host, 'remoteexthost.log');
      if (existsSync(file)) found.push({ file, mtime: statSync(file).mtimeMs });
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.file);
}

/** The newest extension host log, or undefined before the first window connected. */
export function findExthostLog(userDataDir) {
  return findExthostLogs(userDataDir)[0];
}

/** Every other log the extension host wrote (output channels, e.g. the extension's own log). */
export function findExtensionOutputLogs(userDataDir) {
  const result = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log') && full.includes(`${path.sep}exthost`) && entry.name !== 'remoteexthost.log') result.push(full);
    }
  };
  const logsDir = path.join(userDataDir, 'logs');
  if (existsSync(logsDir)) walk(logsDir);
  return result;
}

export function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function answers(url) {
  return new Promise((resolve) => {
    const req = httpGet(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    // No stdin: nothing may wait for an answer (CI has none).
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
  }
  return flags;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'ensure') {
    console.log(await ensureCodeServer());
    return;
  }
  if (command === 'launch') {
    const flags = parseFlags(rest);
    const server = await launchCodeServer({
      vsixPath: flags.vsix,
      port: flags.port ? Number(flags.port) : undefined,
      folder: flags.folder ? path.resolve(flags.folder) : undefined,
      settings: flags.settings ? JSON.parse(flags.settings) : {},
      log: (m) => console.error(m),
    });
    const folderQuery = flags.folder ? `/?folder=${encodeURIComponent(path.resolve(flags.folder))}` : '/';
    console.log(`Open ${server.url}${folderQuery}  (user data: ${server.userDataDir}; Ctrl+C to stop)`);
    const shutdown = () => server.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return;
  }
  console.error('usage: node scripts/code-server.mjs ensure | launch --vsix FILE [--port P] [--folder DIR] [--settings JSON]');
  process.exitCode = 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
