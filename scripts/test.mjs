// Runs every check and test suite in order and ends with one summary line
// ("tests: N passed, N failed, N skipped"). Exit code 1 if anything failed.
// `node scripts/test.mjs unit contract` runs only the named steps.
//
// Each step has a wall-clock limit: a step that hangs (a server left open, a browser that never
// answers) has its whole process group killed at the limit and counts as failed, so a hang
// costs minutes and says where it was, instead of stalling CI until its own 90-minute limit.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const MINUTE = 60_000;
/** After SIGTERM, how long a timed-out step gets before SIGKILL, and then before it is given up on. */
const KILL_GRACE_MS = 5_000;

const STEPS = [
  { name: 'typecheck', command: bin('tsc'), args: ['-p', '.', '--noEmit'], limitMs: 5 * MINUTE },
  { name: 'lint', command: bin('eslint'), args: ['src', 'webview', 'emulator', 'test', 'scripts', 'bench'], limitMs: 5 * MINUTE },
  { name: 'build', command: 'node', args: ['scripts/build.mjs'], limitMs: 5 * MINUTE },
  { name: 'unit', command: bin('mocha'), args: ['--config', 'test/unit/.mocharc.json'], mocha: true, limitMs: 5 * MINUTE },
  { name: 'contract', command: bin('mocha'), args: ['--config', 'test/contract/.mocharc.json'], mocha: true, limitMs: 3 * MINUTE },
  { name: 'integration', command: bin('mocha'), args: ['--config', 'test/integration/.mocharc.json'], mocha: true, limitMs: 15 * MINUTE },
  { name: 'e2e', command: bin('mocha'), args: ['--config', 'test/e2e/.mocharc.json'], mocha: true, limitMs: 40 * MINUTE },
];

/** The step running now, so that Ctrl-C (which no longer reaches its own process group) stops it. */
let current;

/** Signals the step's whole process group (mocha, and the emulators, VS Code and browsers it started). */
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function runStep(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    let timedOut = false;
    let settled = false;
    // Its own process group (detached), so a timeout can kill everything it started.
    const child = spawn(step.command, step.args, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    current = child;
    const forward = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk.toString();
        target.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);

    const timers = [];
    const finish = (code) => {
      if (settled) {
        return;
      }
      settled = true;
      timers.forEach(clearTimeout);
      current = undefined;
      const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
      resolve({
        ...step,
        code: timedOut ? 'timeout' : code,
        timedOut,
        seconds: Math.round((Date.now() - started) / 1000),
        passed: count('passing'),
        failed: count('failing'),
        skipped: count('pending'),
      });
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        console.error(`\n[test] FAIL ${step.name}: still running after its ${formatLimit(step.limitMs)} limit; killing its process group.`);
        killGroup(child, 'SIGTERM');
        timers.push(setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS));
        // A grandchild that left the group may hold the pipes open: do not wait on it forever.
        timers.push(
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
            finish(null);
          }, 2 * KILL_GRACE_MS),
        );
      }, step.limitMs),
    );
    child.on('error', (error) => {
      output += String(error);
      console.error(`[test] ${step.name} could not start: ${error.message}`);
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

function formatLimit(ms) {
  return ms % MINUTE === 0 ? `${ms / MINUTE} min` : `${Math.round(ms / 1000)} s`;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) {
      killGroup(current, signal);
    }
    process.exit(130);
  });
}

const only = process.argv.slice(2);
const unknown = only.filter((name) => !STEPS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${STEPS.map((s) => s.name).join(', ')}.`);
  process.exit(2);
}
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
  const why = r.timedOut ? `, killed at its ${formatLimit(r.limitMs)} limit` : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.name}${counts} in ${r.seconds} s${why}`);
  passed += r.passed;
  skipped += r.skipped;
  // A step that failed without a mocha count (typecheck, lint, build, a crash, a timeout) counts as one failure.
  failed += r.failed || (ok ? 0 : 1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
