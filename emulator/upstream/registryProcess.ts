/**
 * Runs Debian's `docker-registry serve` underneath the emulator. It is started through a tiny
 * shell wrapper that kills the registry when its stdin closes: stdin closes when this process
 * exits for any reason (even SIGKILL), so no registry is ever left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from './freePort';
import { registryConfigYaml } from './registryConfig';

export interface UpstreamRegistry {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartUpstreamOptions {
  dataDir: string;
  notifyUrl?: string;
  log: (line: string) => void;
  readyTimeoutMs?: number;
}

const WRAPPER = '"$0" serve "$1" </dev/null & child=$!; read _ignored; kill "$child" 2>/dev/null; wait "$child"';

export function registryBinary(): string {
  const configured = process.env.ACR_EMULATOR_REGISTRY_BIN;
  if (configured) {
    return configured;
  }
  return existsSync('/usr/bin/docker-registry') ? '/usr/bin/docker-registry' : 'docker-registry';
}

export async function startUpstreamRegistry(options: StartUpstreamOptions): Promise<UpstreamRegistry> {
  const storageDir = join(options.dataDir, 'registry');
  await mkdir(storageDir, { recursive: true });
  const port = await findFreePort();
  const configPath = join(options.dataDir, 'registry-config.yml');
  await writeFile(configPath, registryConfigYaml({ storageDir, port, notifyUrl: options.notifyUrl }), { mode: 0o600 });

  const child = spawn('/bin/sh', ['-c', WRAPPER, registryBinary(), configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    exited = true;
    options.log(`docker-registry exited (${signal ?? code ?? 'unknown'})`);
  });
  child.once('error', (error) => options.log(`docker-registry could not start: ${error.message}`));
  forwardLines(child, options.log);

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, options.readyTimeoutMs ?? 20_000, () => exited);
  } catch (error) {
    await stopChild(child, exitedPromise, exited);
    throw error;
  }
  return {
    url,
    port,
    stop: () => stopChild(child, exitedPromise, exited),
  };
}

function forwardLines(child: ChildProcess, log: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // 404s of HEAD probes (blob/manifest exists?) are routine, not worth a log line.
        if (line.trim() !== '' && !line.includes('http.response.status=404')) {
          log(`docker-registry: ${line}`);
        }
      }
    });
  }
}

async function waitUntilReady(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) {
      throw new Error('docker-registry exited before it was ready (see the log above)');
    }
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`docker-registry did not answer GET ${url}/v2/ within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess, exitedPromise: Promise<void>, alreadyExited: boolean): Promise<void> {
  if (alreadyExited || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exitedPromise;
  clearTimeout(timer);
}
