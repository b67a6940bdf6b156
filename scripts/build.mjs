// Builds the bundles: the extension (node, cjs, vscode external), the CLI, the emulator and
// the webview (browser, iife). `--production` minifies; development builds keep source maps.
// `--metafile` also writes each bundle's esbuild metafile next to it (`dist/<name>.meta.json`),
// which `npm run bench` reads to tell what activation loads.
import * as esbuild from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
  metafile,
};

const nodeTargets = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['emulator/main.ts'], outfile: 'dist/emulator.js' },
].filter((t) => existsSync(t.entryPoints[0]));

const browserTargets = [
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
].filter((t) => existsSync(t.entryPoints[0]));

const configs = [
  ...nodeTargets.map((t) => ({ ...common, ...t, platform: 'node', format: 'cjs', target: 'node20' })),
  ...browserTargets.map((t) => ({ ...common, ...t, platform: 'browser', format: 'iife', target: 'es2022' })),
];

if (watch) {
  for (const config of configs) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  }
} else {
  await Promise.all(
    configs.map(async (config) => {
      const result = await esbuild.build(config);
      if (metafile) {
        writeFileSync(config.outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(result.metafile));
      }
    }),
  );
}
