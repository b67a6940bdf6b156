/**
 * JavaScript loaded at activation: from esbuild's metafile of dist/extension.js, the modules
 * reachable from src/extension.ts through static imports and require() calls. Modules reached
 * only through a dynamic import() are evaluated later, on first use; in a one-file bundle they
 * still ship in the file, so the whole file's size is reported too.
 */
import { existsSync, readFileSync } from 'node:fs';

const METAFILE = 'dist/extension.meta.json';
const OUTPUT = 'dist/extension.js';
const STATIC_KINDS: ReadonlySet<string> = new Set(['import-statement', 'require-call', 'entry-point']);

export interface Metafile {
  inputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface ActivationSize {
  /** Bytes of the modules in the static import graph, plus the bundle's own glue. */
  staticBytes: number;
  lazyBytes: number;
  fileBytes: number;
  /** Packages (or `src`) by bytes in the static graph, largest first. */
  top: Array<{ name: string; bytes: number }>;
}

/** `zod`, `zod (locales)`, `src/core`…: what a reader can act on. */
function contributorOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match) {
    return /\/locales?\//.test(path) ? `${match[1]} (locales)` : match[1];
  }
  return path.split('/').slice(0, 2).join('/');
}

/** The sizes for dist/extension.js, or undefined when it was built without `--metafile`. */
export function activationSize(): ActivationSize | undefined {
  if (!existsSync(METAFILE)) {
    return undefined;
  }
  return staticGraphSize(JSON.parse(readFileSync(METAFILE, 'utf8')) as Metafile, OUTPUT);
}

export function staticGraphSize(meta: Metafile, outputPath: string): ActivationSize {
  const output = meta.outputs[outputPath];
  if (!output?.entryPoint) {
    throw new Error(`the metafile has no entry point for ${outputPath}: build with \`node scripts/build.mjs --production --metafile\``);
  }
  const reached = new Set<string>([output.entryPoint]);
  const stack = [output.entryPoint];
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    for (const edge of meta.inputs[path]?.imports ?? []) {
      if (!edge.external && STATIC_KINDS.has(edge.kind) && !reached.has(edge.path)) {
        reached.add(edge.path);
        stack.push(edge.path);
      }
    }
  }
  let staticBytes = 0;
  let moduleBytes = 0;
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    moduleBytes += bytesInOutput;
    if (reached.has(path)) {
      staticBytes += bytesInOutput;
      byPackage.set(contributorOf(path), (byPackage.get(contributorOf(path)) ?? 0) + bytesInOutput);
    }
  }
  // What no module owns (esbuild's runtime helpers, module wrappers) loads with the file.
  staticBytes += output.bytes - moduleBytes;
  const top = [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { staticBytes, lazyBytes: output.bytes - staticBytes, fileBytes: output.bytes, top };
}
