// Runs every check and test suite in order and ends with one summary line
// ("tests: N passed, N failed, N skipped"). Exit code 1 if anything failed.
// `node scripts/test.mjs unit contract` runs only the named steps.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const STEPS = [
  { name: 'typecheck', command: bin('tsc'), args: ['-p', '.', '--noEmit'] },
  { name: 'lint', command: bin('eslint'), args: ['src', 'webview', 'emulator', 'test', 'scripts', 'bench'] },
  { name: 'build', command: 'node', args: ['scripts/build.mjs'] },
  { name: 'unit', command: bin('mocha'), args: ['--config', 'test/unit/.mocharc.json'], mocha: true },
  { name: 'contract', command: bin('mocha'), args: ['--config', 'test/contract/.mocharc.json'], mocha: true },
  { name: 'integration', command: bin('mocha'), args: ['--config', 'test/integration/.mocharc.json'], mocha: true },
  { name: 'e2e', command: bin('mocha'), args: ['--config', 'test/e2e/.mocharc.json'], mocha: true },
];

function runStep(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(step.command, step.args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk.toString();
        target.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code) => {
      const count = (word) => Number(/(\d+) (?:passing|failing|pending)/.test(output) ? (new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0) : 0);
      resolve({ ...step, code, seconds: Math.round((Date.now() - started) / 1000), passed: count('passing'), failed: count('failing'), skipped: count('pending') });
    });
  });
}

const only = process.argv.slice(2);
const steps = only.length ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
const results = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  results.push(await runStep(step));
}

console.log('\n=== summary ===');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  const ok = r.code === 0;
  const counts = r.mocha ? ` (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped)` : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.name}${counts} in ${r.seconds} s`);
  passed += r.passed;
  skipped += r.skipped;
  // A step that failed without a mocha count (typecheck, lint, build, a crash) counts as one failure.
  failed += r.failed || (ok ? 0 : 1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
