import * as assert from 'node:assert/strict';
import { AcrStreamingError } from '../../../../src/core/errors';
import type { Page } from '../../../../src/core/models';
import { collectPages, collectSdkPages, isPagingError } from '../../../../src/core/paging';

const listing = { host: 'myreg.azurecr.io', what: 'the tags of samples/hello', key: (s: string) => s };

/** Pages by name: cursor → page. `undefined` is the first page. */
function pages(map: Record<string, Page<string>>): { fetch: (cursor: string | undefined) => Promise<Page<string>>; asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    fetch: async (cursor) => {
      asked.push(cursor);
      return map[cursor ?? 'first'];
    },
  };
}

describe('paging: collectPages', () => {
  it('reads every page and keeps each entry once when pages overlap', async () => {
    const p = pages({ first: { items: ['a', 'b'], continuation: 'B' }, B: { items: ['b', 'c'], continuation: 'C' }, C: { items: ['c', 'd'] } });
    assert.deepEqual(await collectPages(p.fetch, listing), ['a', 'b', 'c', 'd']);
    assert.deepEqual(p.asked, [undefined, 'B', 'C']);
  });

  it('stops with an error naming the registry when a page links to itself', async () => {
    const p = pages({ first: { items: ['a'], continuation: 'B' }, B: { items: ['b'], continuation: 'B' } });
    await assert.rejects(collectPages(p.fetch, listing), (e: unknown) => {
      assert.ok(isPagingError(e));
      assert.equal(e.code, 'INVALID_RESPONSE');
      assert.equal(e.fault, 'repeated-page');
      assert.equal(e.message, 'myreg.azurecr.io repeated a page while listing the tags of samples/hello (the paging link points back to a page already read); stopped after 2 pages.');
      assert.ok(e.hint);
      return true;
    });
    assert.deepEqual(p.asked, [undefined, 'B']);
  });

  it('stops on a cycle A→B→A, including a link back to the first page when its address is known', async () => {
    const cycle = pages({ first: { items: ['a'], continuation: 'B' }, B: { items: ['b'], continuation: 'C' }, C: { items: ['c'], continuation: 'B' } });
    await assert.rejects(collectPages(cycle.fetch, listing), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page');
    assert.deepEqual(cycle.asked, [undefined, 'B', 'C']);
    const home = pages({ first: { items: ['a'], continuation: '/l?last=a' }, '/l?last=a': { items: ['b'], continuation: '/l?n=1' } });
    await assert.rejects(collectPages(home.fetch, { ...listing, first: '/l?n=1' }), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page');
    assert.equal(home.asked.length, 2);
  });

  it('bounds pages and entries', async () => {
    let n = 0;
    const endless = async (): Promise<Page<string>> => ({ items: [`x${n}`], continuation: `c${++n}` });
    await assert.rejects(collectPages(endless, { ...listing, maxPages: 5 }), (e: unknown) => isPagingError(e) && e.fault === 'too-many-pages' && /stopped after 5 pages/.test(e.message));
    assert.equal(n, 5);
    const big = pages({ first: { items: ['a', 'b'], continuation: 'B' }, B: { items: ['c', 'd'] } });
    await assert.rejects(collectPages(big.fetch, { ...listing, maxItems: 3 }), (e: unknown) => isPagingError(e) && e.fault === 'too-many-items');
  });

  it('checks for cancellation between pages', async () => {
    const controller = new AbortController();
    const p = pages({ first: { items: ['a'], continuation: 'B' }, B: { items: ['b'] } });
    const fetch = async (cursor: string | undefined) => {
      const page = await p.fetch(cursor);
      controller.abort();
      return page;
    };
    await assert.rejects(collectPages(fetch, { ...listing, signal: controller.signal }), (e: unknown) => e instanceof AcrStreamingError && e.code === 'CANCELLED');
    assert.deepEqual(p.asked, [undefined]);
  });

  it('over an SDK iterator: checks each token before the SDK may follow it, and closes the iterator', async () => {
    const tokens = new WeakMap<string[], string>();
    let fetched = 0;
    let closed = false;
    async function* sdkPages(): AsyncGenerator<string[]> {
      try {
        for (;;) {
          fetched++;
          const page = [`r${fetched}`];
          tokens.set(page, 'https://arm.example/subscriptions?$skipToken=1');
          yield page;
        }
      } finally {
        closed = true;
      }
    }
    const result = collectSdkPages(sdkPages(), (page) => tokens.get(page), () => undefined, listing);
    await assert.rejects(result, (e: unknown) => isPagingError(e) && e.fault === 'repeated-page');
    assert.equal(fetched, 2, 'the repeated token is not fetched a third time');
    assert.ok(closed);
  });
});
