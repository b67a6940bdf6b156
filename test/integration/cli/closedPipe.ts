/** Runs the built CLI with a stdout pipe whose reading end is closed before the CLI writes: `… | head` at its most abrupt. */
import { spawn } from 'node:child_process';
import { CLI, ROOT } from './cliProcess';

export interface ClosedRun {
  code: number | null;
  stderr: string;
}

export function runWithClosedStdout(args: string[], timeoutMs = 15_000): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`acr-streaming ${args.join(' ')} did not end within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
