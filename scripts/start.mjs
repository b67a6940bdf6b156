// `npm start`: the extension in a real VS Code (code-server, in your browser) connected to the
// local ACR emulator with sample images, ready to convert an image to a streaming artifact.
//
//   node scripts/start.mjs [--reset] [--vsix FILE]
//   PORT=8080            VS Code's port (a free one is used when it is taken)
//   EMULATOR_PORT=5080   the emulator's port (likewise)
//   --reset              start from freshly seeded emulator data (.emulator-data/ is kept otherwise)
//   --tls                the emulator serves HTTPS with a self-signed certificate (trusted for VS Code)
//   --vsix FILE          install this .vsix instead of packaging the repository
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ensureCodeServer, freePort, isPortFree, launchCodeServer } from './code-server.mjs';
import { packageExtension, repoRoot } from './package.mjs';

const DEFAULT_PORT = 8080;
const DEFAULT_EMULATOR_PORT = 5080;
const dataDir = path.join(repoRoot, '.emulator-data');
const workspace = path.join(repoRoot, '.build', 'workspace');
const emulatorLog = path.join(repoRoot, '.build', 'emulator.log');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);

function say(message) {
  console.log(`[start] ${message}`);
}

/** The port asked for (env or default) when it is free, any free port otherwise. */
async function pickPort(envName, fallback) {
  const raw = process.env[envName];
  const wanted = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new Error(`${envName}=${raw} is not a port number`);
  if (wanted !== 0 && (await isPortFree(wanted))) return wanted;
  const port = await freePort();
  if (wanted !== 0) say(`port ${wanted} is taken; using ${port} (set ${envName} to choose)`);
  return port;
}

async function startEmulatorInProcess(port) {
  // The emulator is TypeScript; tsx loads it here so one Ctrl+C stops everything.
  const { startEmulator } = await tsImport('../emulator/index.ts', import.meta.url);
  mkdirSync(path.dirname(emulatorLog), { recursive: true });
  writeFileSync(emulatorLog, '');
  return startEmulator({
    port,
    dataDir,
    seed: true,
    tls: flag('--tls'),
    log: (line) => appendFileSync(emulatorLog, `${new Date().toISOString()} ${line}\n`),
  });
}

function writeWorkspaceReadme(emulator) {
  mkdirSync(workspace, { recursive: true });
  // Opened at start-up (workbench.startupEditor = readme): the first thing a new user sees.
  writeFileSync(
    path.join(workspace, 'README.md'),
    [
      '# ACR Artifact Streaming — try it',
      '',
      `This VS Code is connected to a local ACR emulator at \`${emulator.url}\` with sample images.`,
      '',
      '1. Click the **ACR Streaming** icon (cloud) in the activity bar on the left.',
      `2. Expand the registry \`${emulator.loginServer}\`, then a repository such as \`samples/hello\`.`,
      '3. Right-click a tag and create its streaming artifact; watch the badge and the status bar as it converts.',
      '',
      'Azure is emulated too: under **Azure (emulator)**, choose **Sign in to Azure…** (a test account, no',
      'Microsoft sign-in) to see subscriptions and registries with their SKU, and the pre-flight checks of',
      'a Standard registry and of one with customer-managed keys.',
      '',
      'Credentials are given to the extension through the environment of `npm start`',
      '(see the terminal that runs it). Stop everything with Ctrl+C in that terminal.',
      '',
    ].join('\n'),
  );
}

async function main() {
  const started = Date.now();
  if (flag('--reset')) {
    say('--reset: removing .emulator-data/');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const [vscodePort, emulatorPort] = [await pickPort('PORT', DEFAULT_PORT), await pickPort('EMULATOR_PORT', DEFAULT_EMULATOR_PORT)];

  const given = option('--vsix');
  say(given ? `using ${given}` : 'packaging the extension…');
  // Independent steps run side by side: packaging (CPU), code-server install (network, once),
  // emulator start (seeding on the first run only).
  const [vsix, , emulator] = await Promise.all([
    given ? Promise.resolve({ vsixPath: path.resolve(given) }) : packageExtension({ log: say }),
    ensureCodeServer({ log: say }),
    startEmulatorInProcess(emulatorPort).then((e) => {
      cleanups.push(() => e.stop()); // registered at once: another step may still fail
      say(`emulator ready on ${e.url} (log: ${path.relative(process.cwd(), emulatorLog)})`);
      return e;
    }),
  ]);

  writeWorkspaceReadme(emulator);
  const server = await launchCodeServer({
    vsixPath: vsix.vsixPath,
    port: vscodePort,
    folder: workspace,
    settings: {
      'acrStreaming.registries': [emulator.url],
      // Azure discovery against the emulator's Resource Manager, signed in with its test account.
      'acrStreaming.azure.cloud': 'Custom',
      'acrStreaming.azure.customCloud': {
        name: 'Azure (emulator)',
        resourceManagerEndpoint: emulator.armUrl,
        authenticationProvider: 'acr-streaming-test-entra',
      },
      'workbench.startupEditor': 'readme',
      // With TLS: VS Code's own CA list would drop NODE_EXTRA_CA_CERTS (the emulator's certificate).
      ...(emulator.caCertPath ? { 'http.systemCertificates': false } : {}),
    },
    env: {
      ACR_STREAMING_USERNAME: emulator.username,
      ACR_STREAMING_PASSWORD: emulator.password,
      ACR_STREAMING_TEST_ENTRA_URL: emulator.url,
      ...(emulator.caCertPath ? { NODE_EXTRA_CA_CERTS: emulator.caCertPath } : {}),
    },
  });
  cleanups.unshift(() => server.stop());
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] code-server stopped unexpectedly (${code ?? signal}); see ${server.logFile}`);
    shutdown(1);
  });

  const open = `${server.url}/?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`;
  const lines = [
    '',
    `  ACR Artifact Streaming is running (ready in ${((Date.now() - started) / 1000).toFixed(0)} s).`,
    '',
    `  Open VS Code:   ${open}`,
    '                  then click the "ACR Streaming" icon in the activity bar',
    '',
    `  Emulator:       ${emulator.url}   (login server ${emulator.loginServer})`,
    `  Username:       ${emulator.username}`,
    `  Password:       ${emulator.password}`,
    `  Azure (ARM):    ${emulator.armUrl}   (sign in from the "Azure (emulator)" node)`,
    ...(emulator.caCertPath ? [`  CA certificate: ${emulator.caCertPath}`] : []),
    `  Data:           ${path.relative(process.cwd(), dataDir) || dataDir} (kept between runs; --reset to start over)`,
    '',
    '  Ctrl+C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

const cleanups = [];
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (err) {
      console.error(`[start] while stopping: ${err instanceof Error ? err.message : err}`);
    }
  }
  process.exit(code);
}

process.once('SIGINT', () => shutdown(0));
process.once('SIGTERM', () => shutdown(0));

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : err}`);
  shutdown(1);
});
