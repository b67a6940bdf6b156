/** "Load more…" against a registry whose paging goes round in a circle or points elsewhere. */
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/logger';
import type { LoadMoreNode, RegistryNode, RepositoryNode, TreeNode } from '../../../src/tree/nodes';
import { RegistryTreeModel } from '../../../src/tree/registryTreeModel';
import { FakeRegistry, type FakePagingFault } from '../support/fakeRegistry';
import { FakeStreaming } from '../support/fakeStreaming';
import { imageManifest } from '../support/fixtures';

function tree(fault: FakePagingFault | undefined, repositories = ['app'], tags = 6): { model: RegistryTreeModel; registry: FakeRegistry; streaming: FakeStreaming } {
  const registry = new FakeRegistry('reg.example.io');
  for (const repository of repositories) {
    for (let i = 0; i < tags; i++) {
      registry.addImage(repository, imageManifest(`${repository}-${i}`), [`t${i}`]);
    }
  }
  registry.pagingFault = fault;
  const streaming = new FakeStreaming('reg.example.io');
  const session = { registry, streaming, loadBadge: async () => ({ kind: 'not-converted' as const }) };
  const model = new RegistryTreeModel({
    registries: () => [{ loginServer: 'reg.example.io', authLabel: 'anonymous' }],
    session: async () => session,
    forgetBadge: () => undefined,
    pageSize: () => 2,
    logger: silentLogger,
    coalesceMs: 5,
  });
  return { model, registry, streaming };
}

const rows = (nodes: TreeNode[]) => nodes.map((n) => (n.kind === 'tag' ? n.tag : n.kind === 'repository' ? n.repository : n.kind === 'message' ? `msg:${n.text}` : n.kind));

/** Clicks "Load more…" until there is none (at most `max` times); returns the last children. */
async function loadAll(model: RegistryTreeModel, parent: RegistryNode | RepositoryNode, max = 10): Promise<TreeNode[]> {
  let children = await model.children(parent);
  for (let i = 0; i < max; i++) {
    const more = children.find((n): n is LoadMoreNode => n.kind === 'loadMore');
    if (!more) {
      return children;
    }
    await model.loadMore(more);
    children = await model.children(parent);
  }
  assert.fail(`still a "Load more…" after ${max} loads: ${rows(children).join(', ')}`);
}

describe('registry tree paging faults', () => {
  it('a tag listing that cycles A→B→A ends with an error row, each tag once', async () => {
    const { model } = tree('cycle');
    const [root] = (await model.children()) as RegistryNode[];
    const [repo] = (await model.children(root)) as RepositoryNode[];
    const children = await loadAll(model, repo);
    const tags = rows(children.filter((n) => n.kind === 'tag'));
    assert.deepEqual(tags, [...new Set(tags)], 'no duplicate rows');
    const last = children[children.length - 1];
    assert.ok(last.kind === 'message' && /^Could not load more: reg\.example\.io repeated a page while listing the tags of app/.test(last.text), rows(children).join(', '));
    model.dispose();
  });

  it('a repository listing that repeats its page ends with an error row', async () => {
    const { model } = tree('repeat', ['a', 'b', 'c', 'd', 'e'], 1);
    const [root] = (await model.children()) as RegistryNode[];
    const children = await loadAll(model, root);
    assert.deepEqual(rows(children.filter((n) => n.kind === 'repository')), ['a', 'b', 'c', 'd']);
    const last = children[children.length - 1];
    assert.ok(last.kind === 'message' && /repeated a page while listing the repositories/.test(last.text), rows(children).join(', '));
    model.dispose();
  });

  it('a foreign Link on a later page keeps the rows, shows why, and offers no "Load more…" that would fail again', async () => {
    const { model, registry } = tree('foreign-origin');
    registry.pagingFault = undefined;
    const [root] = (await model.children()) as RegistryNode[];
    const [repo] = (await model.children(root)) as RepositoryNode[];
    const first = await model.children(repo);
    registry.pagingFault = 'foreign-origin';
    await model.loadMore(first.find((n): n is LoadMoreNode => n.kind === 'loadMore')!);
    const children = await model.children(repo);
    assert.deepEqual(rows(children).slice(0, 2), ['t5', 't4']);
    assert.ok(children.every((n) => n.kind !== 'loadMore'), rows(children).join(', '));
    assert.ok(children.some((n) => n.kind === 'message' && /leaves the tags of app \(it points to https:\/\/elsewhere\.example\)/.test(n.text)));
    model.dispose();
  });

  it('referrers whose paging goes round show an error row under the tag', async () => {
    const { model, streaming } = tree(undefined, ['app'], 1);
    streaming.pagingFault = 'cycle';
    const [root] = (await model.children()) as RegistryNode[];
    const [repo] = (await model.children(root)) as RepositoryNode[];
    const [tag] = await model.children(repo);
    const children = await model.children(tag);
    assert.equal(children.length, 1);
    assert.ok(children[0].kind === 'message' && /repeated a page while listing the referrers of app@sha256:/.test(children[0].text), rows(children).join(', '));
    model.dispose();
  });
});
