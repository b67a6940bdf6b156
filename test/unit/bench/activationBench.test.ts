import * as assert from 'node:assert/strict';
import { staticGraphSize, type Metafile } from '../../../bench/activationBench';

const meta: Metafile = {
  inputs: {
    'src/extension.ts': {
      imports: [
        { path: 'vscode', kind: 'import-statement', external: true },
        { path: 'src/tree/view.ts', kind: 'import-statement' },
        { path: 'src/core/badge.ts', kind: 'dynamic-import' },
      ],
    },
    'src/tree/view.ts': { imports: [{ path: 'node_modules/zod/v4/locales/en.js', kind: 'require-call' }, { path: 'node_modules/zod/v4/core.js', kind: 'import-statement' }] },
    'src/core/badge.ts': { imports: [{ path: 'node_modules/p-limit/index.js', kind: 'import-statement' }, { path: 'node_modules/zod/v4/core.js', kind: 'import-statement' }] },
    'node_modules/zod/v4/locales/en.js': { imports: [] },
    'node_modules/zod/v4/core.js': { imports: [] },
    'node_modules/p-limit/index.js': { imports: [] },
  },
  outputs: {
    'dist/extension.js': {
      bytes: 1_100,
      entryPoint: 'src/extension.ts',
      inputs: {
        'src/extension.ts': { bytesInOutput: 100 },
        'src/tree/view.ts': { bytesInOutput: 200 },
        'src/core/badge.ts': { bytesInOutput: 150 },
        'node_modules/zod/v4/locales/en.js': { bytesInOutput: 300 },
        'node_modules/zod/v4/core.js': { bytesInOutput: 250 },
        'node_modules/p-limit/index.js': { bytesInOutput: 50 },
      },
    },
  },
};

describe('bench: JavaScript evaluated at activation', () => {
  it('follows static imports and require() from the entry, not import(), and counts the bundle glue as static', () => {
    const size = staticGraphSize(meta, 'dist/extension.js');
    // extension 100 + view 200 + locales 300 + core 250 + glue (1,100 − 1,050) 50
    assert.equal(size.staticBytes, 900);
    assert.equal(size.lazyBytes, 200, 'badge.ts and p-limit are only reached through import()');
    assert.equal(size.fileBytes, 1_100);
    assert.deepEqual(size.top, [
      { name: 'zod (locales)', bytes: 300 },
      { name: 'zod', bytes: 250 },
      { name: 'src/tree', bytes: 200 },
      { name: 'src/extension.ts', bytes: 100 },
    ]);
  });

  it('refuses a metafile without the bundle', () => {
    assert.throws(() => staticGraphSize(meta, 'dist/other.js'), /--metafile/);
  });
});
