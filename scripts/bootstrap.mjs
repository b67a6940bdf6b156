// Installs what is missing, so that `npm start` and `npm test` work on a fresh clone:
// Debian packages (the registry under the emulator, Chromium for the UI tests, the libraries
// code-server needs) and the npm dependencies when package-lock.json changed since the last
// install. Safe to run again: it does nothing when everything is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEBIAN_PACKAGES = ['docker-registry', 'chromium', 'ripgrep', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev'];

function log(message) {
  console.log(`[bootstrap] ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages() {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/dpkg-query')) {
    log('not a Debian-based system: install docker-registry (CNCF distribution 2.8) and Chromium yourself.');
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    return;
  }
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...rest] = [...prefix, 'apt-get'];
  run(cmd, [...rest, 'update', '-qq'], { env });
  run(cmd, [...rest, 'install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  // The Debian package enables a system service we do not use; the emulator runs its own.
  spawnSync('systemctl', ['disable', '--now', 'docker-registry'], { stdio: 'ignore' });
}

function ensureNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.bootstrap-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    return;
  }
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, hash);
}

try {
  ensureDebianPackages();
  ensureNodeModules();
  execFileSync('node', ['--version']);
} catch (error) {
  console.error(`[bootstrap] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
