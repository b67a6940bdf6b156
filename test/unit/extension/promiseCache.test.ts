import * as assert from 'node:assert/strict';
import { PromiseCache } from '../../../src/services/promiseCache';

describe('PromiseCache', () => {
  it('shares one promise per key between callers', async () => {
    const cache = new PromiseCache<string, number>();
    let created = 0;
    const make = async () => ++created;
    const [a, b] = [cache.get('k', make), cache.get('k', make)];
    assert.equal(a, b);
    assert.equal(await a, 1);
    assert.equal(await cache.get('other', make), 2);
  });

  it('drops a rejected promise so the next call tries again', async () => {
    const cache = new PromiseCache<string, string>();
    await assert.rejects(cache.get('k', () => Promise.reject(new Error('offline'))));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(cache.peek('k'), undefined);
    assert.equal(await cache.get('k', async () => 'online'), 'online');
  });

  it('keeps a replacement when an older promise of the key rejects late', async () => {
    const cache = new PromiseCache<string, string>();
    let fail!: (error: Error) => void;
    const old = cache.get('k', () => new Promise<string>((_resolve, reject) => (fail = reject)));
    cache.delete('k');
    const replacement = cache.get('k', async () => 'new');
    fail(new Error('late'));
    await assert.rejects(old);
    assert.equal(cache.peek('k'), replacement);
    assert.deepEqual(cache.keys(), ['k']);
    cache.clear();
    assert.deepEqual(cache.keys(), []);
  });
});
