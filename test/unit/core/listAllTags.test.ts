import * as assert from 'node:assert/strict';
import { AcrStreamingError } from '../../../src/core/errors';
import { listAllTags } from '../../../src/core/listAllTags';
import { isPagingError } from '../../../src/core/paging';
import { FakeRegistry } from '../support/fakeRegistry';
import { imageManifest } from '../support/fixtures';

function registryWith(tags: number): FakeRegistry {
  const registry = new FakeRegistry('myreg.azurecr.io');
  for (let i = 0; i < tags; i++) {
    registry.addImage('samples/hello', imageManifest(`img-${i}`), [`t${i}`]);
  }
  return registry;
}

describe('listAllTags (the every-tag scan of bulk create)', () => {
  it('reads every page', async () => {
    const tags = await listAllTags(registryWith(7), 'samples/hello', { pageSize: 2 });
    assert.equal(new Set(tags.map((t) => t.name)).size, 7);
    assert.equal(tags.length, 7);
  });

  for (const fault of ['repeat', 'cycle'] as const) {
    it(`ends a listing that pages in a circle (${fault}) with an error naming the registry`, async () => {
      const registry = registryWith(7);
      registry.pagingFault = fault;
      await assert.rejects(listAllTags(registry, 'samples/hello', { pageSize: 2 }), (e: unknown) => isPagingError(e) && /^myreg\.azurecr\.io repeated a page while listing the tags of samples\/hello/.test(e.message));
      assert.ok(registry.recorder.calls.length <= 4, `${registry.recorder.calls.length} pages read`);
    });
  }

  it('passes a foreign-link failure on', async () => {
    const registry = registryWith(3);
    registry.pagingFault = 'foreign-path';
    await assert.rejects(listAllTags(registry, 'samples/hello', { pageSize: 2 }), (e: unknown) => isPagingError(e) && e.fault === 'foreign-link');
  });

  it('is cancellable between pages', async () => {
    const controller = new AbortController();
    const registry = registryWith(7);
    const scan = listAllTags(registry, 'samples/hello', { pageSize: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(scan, (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
    assert.equal(registry.recorder.calls.length, 1);
  });
});
