import * as assert from 'node:assert/strict';
import { Limiter } from '../../../src/services/limiter';
import { ChangeCoalescer } from '../../../src/tree/changeCoalescer';
import { escapeMarkdown, shortDigest } from '../../../src/tree/markdown';
import { compareTagsNewestFirst } from '../../../src/tree/sorting';
import { DIGEST_A } from './fakes';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('change coalescer', () => {
  it('reports a burst of node changes once, each node once', async () => {
    const fired: Array<string[] | undefined> = [];
    const c = new ChangeCoalescer<string>((nodes) => fired.push(nodes), 20);
    c.add('a');
    c.add('b');
    c.add('a');
    assert.deepEqual(fired, [], 'nothing before the interval');
    await wait(40);
    assert.deepEqual(fired, [['a', 'b']]);
    c.dispose();
  });

  it('lets a root refresh replace pending node changes', async () => {
    const fired: Array<string[] | undefined> = [];
    const c = new ChangeCoalescer<string>((nodes) => fired.push(nodes), 20);
    c.add('a');
    c.addRoot();
    c.add('b');
    await wait(40);
    assert.deepEqual(fired, [undefined]);
    c.dispose();
  });

  it('fires nothing after dispose', async () => {
    const fired: unknown[] = [];
    const c = new ChangeCoalescer<string>((nodes) => fired.push(nodes), 10);
    c.add('a');
    c.dispose();
    await wait(25);
    assert.deepEqual(fired, []);
  });
});

describe('limiter', () => {
  it('runs at most N tasks at once, in order', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await wait(5);
          order.push(i);
          active--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  });

  it('drops queued tasks whose signal aborted before they started', async () => {
    const limiter = new Limiter(1);
    const controller = new AbortController();
    const ran: string[] = [];
    const first = limiter.run(async () => {
      await wait(10);
      ran.push('first');
    });
    const second = limiter.run(async () => {
      ran.push('second');
    }, controller.signal);
    controller.abort();
    await first;
    await assert.rejects(second);
    assert.deepEqual(ran, ['first']);
  });
});

describe('tree text helpers', () => {
  it('escapes markdown and shortens digests', () => {
    assert.equal(escapeMarkdown('a*b_[c](d)<e>'), 'a\\*b\\_\\[c\\]\\(d\\)\\<e\\>');
    assert.equal(escapeMarkdown('line\nbreak'), 'line break');
    assert.equal(shortDigest(DIGEST_A), 'sha256:aaaaaaaaaaaa');
  });

  it('sorts undated tags after dated ones, by name', () => {
    const tags = [{ name: 'b' }, { name: 'a', createdTime: 'garbage' }, { name: 'new', createdTime: '2025-01-02T00:00:00Z' }, { name: 'old', createdTime: '2024-01-02T00:00:00Z' }];
    assert.deepEqual(
      [...tags].sort(compareTagsNewestFirst).map((t) => t.name),
      ['new', 'old', 'a', 'b'],
    );
  });
});
