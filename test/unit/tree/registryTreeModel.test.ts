import * as assert from 'node:assert/strict';
import type { BadgeState } from '../../../src/core/badge/badgeState';
import { AcrStreamingError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import type { LoadMoreNode, RegistryNode, RepositoryNode, TagNode, TreeNode } from '../../../src/tree/nodes';
import { RegistryTreeModel, type TreeSession } from '../../../src/tree/registryTreeModel';
import { describeNode } from '../../../src/tree/treeItemModel';
import { errorFromReply } from '../../../src/core/http/responseErrors';
import { DIGEST_A, DIGEST_B, digestOf, FakeRegistry, FakeStreaming, runningOperation, settle } from '../extension/fakes';

interface Harness {
  model: RegistryTreeModel;
  registry: FakeRegistry;
  streaming: FakeStreaming;
  badgeCalls: string[];
  forgotten: string[];
  changes: Array<TreeNode[] | undefined>;
  badges: Map<string, BadgeState>;
  /** Makes badge loads wait until released. */
  holdBadges(): () => void;
}

function harness(pageSize = 100): Harness {
  const registry = new FakeRegistry();
  const streaming = new FakeStreaming();
  const badgeCalls: string[] = [];
  const forgotten: string[] = [];
  const badges = new Map<string, BadgeState>();
  let gate: Promise<void> | undefined;
  const session: TreeSession = {
    registry,
    streaming,
    loadBadge: async (repository, digest) => {
      badgeCalls.push(`${repository}@${digest}`);
      await gate;
      return badges.get(digest) ?? { kind: 'not-converted' };
    },
  };
  const model = new RegistryTreeModel({
    registries: () => [{ loginServer: 'reg.example.io', authLabel: 'anonymous' }],
    session: async () => session,
    forgetBadge: (_l, repository, digest) => forgotten.push(`${repository}@${digest}`),
    pageSize: () => pageSize,
    logger: silentLogger,
    coalesceMs: 5,
  });
  const changes: Array<TreeNode[] | undefined> = [];
  model.onDidChange((nodes) => changes.push(nodes));
  return {
    model,
    registry,
    streaming,
    badgeCalls,
    forgotten,
    changes,
    badges,
    holdBadges: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

async function expandTo(h: Harness, repository: string): Promise<{ root: RegistryNode; repo: RepositoryNode; tags: TreeNode[] }> {
  const [root] = (await h.model.children()) as RegistryNode[];
  const repos = await h.model.children(root);
  const repo = repos.find((n): n is RepositoryNode => n.kind === 'repository' && n.repository === repository);
  assert.ok(repo, `repository ${repository} listed`);
  return { root, repo, tags: await h.model.children(repo) };
}

function labels(nodes: TreeNode[]): string[] {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'repository':
        return n.repository;
      case 'tag':
        return n.tag;
      case 'loadMore':
        return `more:${n.continuation}`;
      case 'message':
        return `msg:${n.text}`;
      default:
        return n.id;
    }
  });
}

async function flush(h: Harness): Promise<void> {
  await settle();
  h.model.flushChanges();
}

describe('registry tree model', () => {
  it('lists repositories by name and tags newest first', async () => {
    const h = harness();
    h.registry.repositories = ['zeta', 'alpha', 'app', 'Beta'.toLowerCase()];
    h.registry.tags.set('app', [
      { name: 'old', digest: DIGEST_A, createdTime: '2024-01-01T00:00:00Z' },
      { name: 'new', digest: DIGEST_B, createdTime: '2025-06-01T00:00:00Z' },
      { name: 'undated', digest: DIGEST_A },
      { name: 'mid', digest: DIGEST_B, createdTime: '2025-01-01T00:00:00Z' },
    ]);
    const { root, tags } = await expandTo(h, 'app');
    assert.deepEqual(labels(await h.model.children(root)), ['alpha', 'app', 'beta', 'zeta']);
    assert.deepEqual(labels(tags), ['new', 'mid', 'old', 'undated']);
    h.model.dispose();
  });

  it('fetches one page, then the next through the "Load more…" node that carries the continuation', async () => {
    const h = harness(2);
    h.registry.repositories = ['app'];
    h.registry.tags.set(
      'app',
      Array.from({ length: 5 }, (_, i) => ({ name: `t${i}`, digest: digestOf(i), createdTime: `2025-01-0${9 - i}T00:00:00Z` })),
    );
    const { repo, tags } = await expandTo(h, 'app');
    assert.deepEqual(labels(tags), ['t0', 't1', 'more:2']);
    assert.deepEqual(h.registry.calls.filter((c) => c.startsWith('listTags')), ['listTags app '], 'expanding fetched one page');

    await h.model.loadMore(tags[2] as LoadMoreNode);
    const second = await h.model.children(repo);
    assert.deepEqual(labels(second), ['t0', 't1', 't2', 't3', 'more:4']);
    // The old "Load more…" is stale now: using it again fetches nothing.
    await h.model.loadMore(tags[2] as LoadMoreNode);
    assert.equal(h.registry.calls.filter((c) => c.startsWith('listTags')).length, 2);

    await h.model.loadMore(second[4] as LoadMoreNode);
    assert.deepEqual(labels(await h.model.children(repo)), ['t0', 't1', 't2', 't3', 't4']);
    assert.deepEqual(h.registry.calls.filter((c) => c.startsWith('listTags')), ['listTags app ', 'listTags app 2', 'listTags app 4']);

    await flush(h);
    const fired = h.changes.flat();
    assert.ok(fired.includes(repo), 'the repository is reported changed after a page loads');
    assert.ok(!h.changes.includes(undefined), 'never the root');
    h.model.dispose();
  });

  it('keeps a large repository to one page of requests, badges included', async () => {
    const h = harness(100);
    h.registry.repositories = ['big'];
    h.registry.tags.set('big', Array.from({ length: 1500 }, (_, i) => ({ name: `v${i}`, digest: digestOf(i) })));
    const { tags } = await expandTo(h, 'big');
    await settle();
    assert.equal(tags.length, 101);
    assert.equal(h.badgeCalls.length, 100, 'one badge per shown tag, not per tag in the repository');
    h.model.dispose();
  });

  it('fills badges in the background and reports only the changed tag nodes, coalesced', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [
      { name: 'a', digest: DIGEST_A },
      { name: 'b', digest: DIGEST_B },
    ]);
    h.badges.set(DIGEST_B, { kind: 'streamed', artifacts: [] });
    const release = h.holdBadges();
    const { tags } = await expandTo(h, 'app');
    assert.ok(tags.every((t) => t.kind === 'tag' && t.badge === undefined), 'shown before badges arrive');
    h.changes.length = 0;
    release();
    await flush(h);
    const tagBatches = h.changes.filter((batch) => batch?.some((n) => n.kind === 'tag'));
    assert.equal(tagBatches.length, 1, 'both badges arrive in one change event');
    assert.deepEqual(new Set(tagBatches[0]?.filter((n) => n.kind === 'tag')), new Set(tags));
    assert.equal((tags[1] as TagNode).badge?.kind, 'streamed');
    assert.ok(!h.changes.includes(undefined));
    h.model.dispose();
  });

  it('shows repository auto-conversion state as it arrives', async () => {
    const h = harness();
    h.registry.repositories = ['on', 'off'];
    h.streaming.states.set('on', true);
    const [root] = await h.model.children();
    const repos = (await h.model.children(root)) as RepositoryNode[];
    await flush(h);
    assert.deepEqual(
      repos.map((r) => [r.repository, r.autoConversion]),
      [
        ['off', false],
        ['on', true],
      ],
    );
    h.model.dispose();
  });

  it('turns a 401 into a "Sign in…" registry instead of throwing', async () => {
    const h = harness();
    h.registry.failWith = new AcrStreamingError('UNAUTHORIZED', 'authentication required', { status: 401 });
    const [root] = (await h.model.children()) as RegistryNode[];
    const children = await h.model.children(root);
    assert.equal(root.state.kind, 'signin');
    assert.deepEqual(labels(children), ['msg:Sign in…']);
    await flush(h);
    assert.ok(h.changes.flat().includes(root), 'the registry row is redrawn with its new state');

    // After signing in, a refresh of that registry lists it again.
    h.registry.failWith = undefined;
    h.registry.repositories = ['app'];
    h.model.refresh(root);
    assert.equal(root.state.kind, 'ready');
    assert.deepEqual(labels(await h.model.children(root)), ['app']);
    h.model.dispose();
  });

  it('turns other failures into an error row with the explanation', async () => {
    const h = harness();
    h.registry.failWith = new AcrStreamingError('NETWORK', 'Could not reach the registry: ECONNREFUSED', { hint: 'Check the address.' });
    const [root] = (await h.model.children()) as RegistryNode[];
    const [message] = await h.model.children(root);
    assert.equal(root.state.kind, 'error');
    assert.equal(message.kind, 'message');
    assert.match(message.kind === 'message' ? (message.detail ?? '') : '', /Check the address/);
    h.model.dispose();
  });

  it('a throttled listing becomes a row that says when to retry, and offers Retry of its parent', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    const root = ((await h.model.children()) as RegistryNode[])[0];
    const repo = (await h.model.children(root))[0] as RepositoryNode;
    h.registry.failWith = errorFromReply({ status: 429, retryAfterMs: 3_600_000 }, 'Reading the tags of app', 'reg.example.io');
    const [row] = await h.model.children(repo);
    assert.equal(row.kind, 'message');
    const item = describeNode(row);
    assert.match(item.label, /^Could not list tags: Reading the tags of app was throttled by reg\.example\.io \(HTTP 429\); retry after 60 min \(at \d\d:\d\d UTC\)\.$/);
    assert.deepEqual(item.command && { id: item.command.id, target: item.command.target }, { id: 'acrStreaming.refresh', target: repo });
    assert.match(String(item.tooltip), /Click to retry/);

    // Retry: the parent lists again.
    h.registry.failWith = undefined;
    h.registry.tags.set('app', [{ name: 'a', digest: DIGEST_A }]);
    h.model.refresh(repo);
    assert.deepEqual(labels(await h.model.children(repo)), ['a']);
    h.model.dispose();
  });

  it('offers no Retry where retrying cannot help', async () => {
    const h = harness();
    h.registry.failWith = new AcrStreamingError('DENIED', 'Listing repositories failed (HTTP 403).', { hint: 'Ask for AcrPull.' });
    const [root] = (await h.model.children()) as RegistryNode[];
    const [row] = await h.model.children(root);
    assert.equal(describeNode(row).command, undefined);
    h.model.dispose();
  });

  it('says so when a registry or repository is empty', async () => {
    const h = harness();
    const [root] = await h.model.children();
    assert.deepEqual(labels(await h.model.children(root)), ['msg:No repositories in this registry.']);
    h.model.dispose();
  });

  it('caches children until refreshed, and a refresh reports the node, never the root', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [{ name: 'a', digest: DIGEST_A }]);
    const { repo, tags } = await expandTo(h, 'app');
    await h.model.children(repo);
    assert.equal(h.registry.calls.filter((c) => c.startsWith('listTags')).length, 1, 'second expand served from cache');
    await flush(h);
    h.changes.length = 0;

    h.model.refresh(repo);
    await flush(h);
    assert.deepEqual(h.changes, [[repo]]);
    assert.deepEqual(h.forgotten, [`app@${DIGEST_A}`], 'the badge cache of its tags is dropped');
    const again = await h.model.children(repo);
    assert.equal(h.registry.calls.filter((c) => c.startsWith('listTags')).length, 2);
    assert.notEqual(again[0], tags[0]);
    h.model.dispose();
  });

  it('applies tracker badges to every tag of the digest, and reloads them when a conversion ends', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [
      { name: 'latest', digest: DIGEST_A },
      { name: '1.0', digest: DIGEST_A },
      { name: 'other', digest: DIGEST_B },
    ]);
    const { tags } = await expandTo(h, 'app');
    await flush(h);
    h.changes.length = 0;
    const running: BadgeState = { kind: 'converting', progress: 40, operation: runningOperation(40) };
    h.model.setBadge('reg.example.io', 'app', DIGEST_A, running);
    h.model.setBadge('reg.example.io', 'app', DIGEST_A, { ...running, progress: 45 });
    await flush(h);
    assert.equal(h.changes.length, 1, 'two updates, one event');
    const changed = h.changes[0] ?? [];
    assert.deepEqual(new Set(changed), new Set(tags.filter((t) => t.kind === 'tag' && t.digest === DIGEST_A)));
    assert.equal(((tags.find((t) => t.kind === 'tag' && t.tag === 'latest') as TagNode).badge as { progress: number }).progress, 45);

    h.badges.set(DIGEST_A, { kind: 'streamed', artifacts: [] });
    h.badgeCalls.length = 0;
    h.model.reloadBadges('reg.example.io', 'app', DIGEST_A);
    await flush(h);
    assert.deepEqual(h.badgeCalls, [`app@${DIGEST_A}`, `app@${DIGEST_A}`]);
    assert.ok(h.forgotten.includes(`app@${DIGEST_A}`), 'the cached badge is dropped first');
    assert.equal((tags[0] as TagNode).badge?.kind, 'streamed');
    h.model.dispose();
  });

  it('lists referrers under a tag', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [{ name: 'a', digest: DIGEST_A }]);
    h.streaming.referrers.set(DIGEST_A, [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST_B, size: 1, artifactType: 'application/vnd.azure.artifact.streaming.v1' }]);
    const { tags } = await expandTo(h, 'app');
    const referrers = await h.model.children(tags[0]);
    assert.equal(referrers.length, 1);
    assert.equal(referrers[0].kind, 'referrer');
    h.model.dispose();
  });

  /** Makes listTags wait until the returned function is called. */
  function gateTags(h: Harness): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = h.registry.listTags.bind(h.registry);
    h.registry.listTags = async (repository, options) => {
      await gate;
      return original(repository, options);
    };
    return () => {
      h.registry.listTags = original;
      release();
    };
  }

  it('answers a fetch that a refresh overtook with the current children, whose badges load, never the replaced ones', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [{ name: 'old', digest: DIGEST_A }]);
    const release = gateTags(h);
    const [root] = await h.model.children();
    const [repo] = await h.model.children(root);
    const pending = h.model.children(repo);
    h.model.refresh(repo);
    h.registry.tags.set('app', [{ name: 'fresh', digest: DIGEST_B }]);
    release();
    const answer = await pending;
    await flush(h);
    // The replaced request's nodes had their badge requests aborted and are unknown to the
    // model: shown, they would read '…' for good and never get a tracker update.
    assert.deepEqual(labels(answer), ['fresh']);
    assert.deepEqual(h.model.tagNodesFor('reg.example.io', 'app', DIGEST_B), answer, 'the model holds the nodes VS Code got');
    assert.equal((answer[0] as TagNode).badge?.kind, 'not-converted');
    assert.deepEqual(await h.model.children(repo), answer, 'and keeps them');
    h.model.dispose();
  });

  it('answers a fetch with no children when VS Code re-read the node meanwhile, and lists them on the next fetch', async () => {
    const h = harness();
    h.registry.repositories = ['app'];
    h.registry.tags.set('app', [{ name: 'a', digest: DIGEST_A }]);
    const release = gateTags(h);
    const [root] = await h.model.children();
    const [repo] = await h.model.children(root);
    const pending = h.model.children(repo);
    // VS Code refreshes the repository (its state arrived) while it fetches the tags: the
    // extension host replaces its record of the repository and would file the tags under the old one.
    h.model.treeItemRequested(repo);
    release();
    assert.deepEqual(await pending, []);
    const again = await h.model.children(repo);
    assert.deepEqual(labels(again), ['a']);
    assert.equal(h.registry.calls.filter((c) => c.startsWith('listTags')).length, 1, 'the tags were listed once');
    h.model.treeItemRequested(repo);
    assert.deepEqual(await h.model.children(repo), again, 'a fetch served at once is never voided');
    h.model.dispose();
  });

  it('voids only the fetches pending when the item was read', async () => {
    const h = harness();
    h.registry.repositories = ['app', 'lib'];
    h.registry.tags.set('app', [{ name: 'a', digest: DIGEST_A }]);
    h.registry.tags.set('lib', [{ name: 'b', digest: DIGEST_B }]);
    const release = gateTags(h);
    const [root] = await h.model.children();
    const [app, lib] = await h.model.children(root);
    const first = h.model.children(app);
    const other = h.model.children(lib);
    h.model.treeItemRequested(app);
    const second = h.model.children(app); // VS Code's fetch after its refresh
    release();
    assert.deepEqual(await first, []);
    assert.deepEqual(labels(await second), ['a']);
    assert.deepEqual(labels(await other), ['b']);
    h.model.dispose();
  });
});
