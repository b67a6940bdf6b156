// Builds the production bundles and packages the extension as .build/acr-artifact-streaming.vsix.
// What goes into the .vsix is decided by .vscodeignore (bundles, media and the docs only).
//
// vsce runs on a snapshot in .build/vsix-staging-<pid>/, not on the working tree: a development
// build (`npm run build`, a watcher) may rewrite dist/ at any moment, and the .vsix must hold the
// minified production bundles that were checked here. Several test runs may package at once: each
// stages privately and the .vsix is replaced by an atomic rename (an install reading the old one
// keeps reading it).
//
// CLI: node scripts/package.mjs [--out FILE] [--force]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultVsixPath = path.join(repoRoot, '.build', 'acr-artifact-streaming.vsix');

const BUNDLES = ['dist/extension.js', 'dist/webview.js'];
const REQUIRED_BUNDLES = ['dist/extension.js'];
// Everything .vscodeignore may let in (plus .vscodeignore itself, which vsce reads).
const STAGED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', '.vscodeignore'];

/**
 * @param {{ out?: string, force?: boolean, log?: (m: string) => void }} [options]
 * @returns {Promise<{ vsixPath: string, bytes: number, seconds: number, reused: boolean }>}
 */
export async function packageExtension({ out = defaultVsixPath, force = false, log = (m) => console.error(m) } = {}) {
  const started = Date.now();
  const staging = path.join(repoRoot, '.build', `vsix-staging-${process.pid}`);
  try {
    await stageProductionBuild(staging, log);

    // vsce takes far longer than esbuild; skip it when the staged files did not change.
    const stamp = `${out}.inputs-sha256`;
    const inputs = hashTree(staging);
    if (!force && existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) {
      const bytes = statSync(out).size;
      log(`Extension unchanged: reusing ${path.relative(process.cwd(), out) || out} (${(bytes / 1024).toFixed(1)} KiB)`);
      return { vsixPath: out, bytes, seconds: (Date.now() - started) / 1000, reused: true };
    }

    mkdirSync(path.dirname(out), { recursive: true });
    const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
    if (!existsSync(vsce)) throw new Error('node_modules/.bin/vsce is missing: run npm install (the @vscode/vsce dev dependency)');
    const partial = `${out}.${process.pid}.partial.vsix`;
    await run(vsce, [
      'package',
      '--no-dependencies', // everything the extension needs is bundled into dist/
      '--out', partial,
      // Not published from here: a local .vsix needs no repository link, and vsce would otherwise
      // stop at a [y/N] prompt (there is no stdin in CI).
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      ...(existsSync(path.join(staging, 'LICENSE')) ? [] : ['--skip-license']),
    ], 'vsce package', staging);
    renameSync(partial, out);
    writeFileSync(stamp, inputs);

    const bytes = statSync(out).size;
    const seconds = (Date.now() - started) / 1000;
    log(`Packaged ${path.relative(process.cwd(), out) || out}: ${(bytes / 1024).toFixed(1)} KiB in ${seconds.toFixed(1)} s`);
    return { vsixPath: out, bytes, seconds, reused: false };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${out}.${process.pid}.partial.vsix`, { force: true });
  }
}

/** Builds with --production and copies a verified snapshot of what gets packaged to the staging folder. */
async function stageProductionBuild(staging, log) {
  for (let attempt = 1; ; attempt++) {
    await run(process.execPath, ['scripts/build.mjs', '--production'], 'build');
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(path.join(staging, 'dist'), { recursive: true });
    for (const item of STAGED) {
      const from = path.join(repoRoot, item);
      if (existsSync(from)) cpSync(from, path.join(staging, item), { recursive: true });
    }
    for (const bundle of REQUIRED_BUNDLES) {
      if (!existsSync(path.join(repoRoot, bundle))) throw new Error(`${bundle} was not built: does its entry point exist?`);
    }
    const problems = [];
    for (const bundle of BUNDLES) {
      const from = path.join(repoRoot, bundle);
      if (!existsSync(from)) continue;
      const to = path.join(staging, bundle);
      copyFileSync(from, to);
      const problem = productionProblem(readFileSync(to, 'utf8'), bundle);
      if (problem) problems.push(problem);
    }
    if (problems.length === 0) return;
    if (attempt === 3) throw new Error(`dist/ keeps changing under the packager (a build watcher?): ${problems.join('; ')}`);
    log(`${problems.join('; ')}: building again`);
  }
}

/** Why `code` is not a complete production bundle (another build overwrote it meanwhile), if it is not. */
function productionProblem(code, name) {
  if (/\/\/# sourceMappingURL=\S+\s*$/.test(code)) return `${name} is a development build`;
  try {
    new Script(code, { filename: name }); // compiles only: a half-written file fails here
  } catch (err) {
    return `${name} does not parse (${err instanceof Error ? err.message : err})`;
  }
  return undefined;
}

function hashTree(root) {
  const hash = createHash('sha256');
  const add = (relative) => {
    const full = path.join(root, relative);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) add(path.join(relative, entry));
      return;
    }
    hash.update(`${relative}\0`).update(readFileSync(full)).update('\0');
  };
  for (const entry of readdirSync(root).sort()) add(entry);
  return hash.digest('hex');
}

function run(cmd, args, what, cwd = repoRoot) {
  return new Promise((resolve, reject) => {
    // stdin closed: a prompt from vsce must fail fast instead of waiting forever.
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${what} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const out = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : defaultVsixPath;
  packageExtension({ out, force: process.argv.includes('--force') }).then(
    ({ vsixPath, bytes }) => console.log(`${vsixPath} (${bytes} bytes)`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
