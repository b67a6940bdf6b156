/**
 * Fault-matrix rows of the Registries tree and of cancelling (items 9 and 10) that hold without
 * VS Code: the tree model against VS Code's ways of asking (src/tree/registryTreeModel.ts), and
 * the tracker's end event for a cancel (src/core/tracker). The races inside VS Code itself are
 * covered by test/e2e/journeys/treeRaces.test.ts.
 */
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../../src/core/logger';
import type { StreamingOperation } from '../../../../src/core/models';
import { OperationTracker } from '../../../../src/core/tracker';
import type { TrackerEvent } from '../../../../src/core/tracker/trackedOperation';
import { StreamingDataSource } from '../../../../src/services/streamingDataSource';
import type { RegistryNode, RepositoryNode, TagNode, TreeNode } from '../../../../src/tree/nodes';
import { RegistryTreeModel } from '../../../../src/tree/registryTreeModel';
import { syncBadgesWithTracker } from '../../../../src/tree/trackerBadgeSync';
import { DIGEST_A, DIGEST_B, FakeRegistry, FakeStreaming, settle } from '../../../unit/extension/fakes';
import { FakeClock } from '../../../unit/support/fakeClock';
import type { FaultRow } from '../faultRow';

const LOGIN = 'reg.example.io';

/** A tree model over fakes whose tag listing waits until `release()`. */
function gatedTree(): { model: RegistryTreeModel; registry: FakeRegistry; streaming: FakeStreaming; release(): void } {
  const registry = new FakeRegistry();
  const streaming = new FakeStreaming(LOGIN);
  registry.repositories = ['app'];
  registry.tags.set('app', [{ name: '1.0', digest: DIGEST_A }]);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const listTags = registry.listTags.bind(registry);
  registry.listTags = async (repository, options) => {
    await gate;
    return listTags(repository, options);
  };
  const model = new RegistryTreeModel({
    registries: () => [{ loginServer: LOGIN, authLabel: 'anonymous' }],
    session: async () => ({ registry, streaming, loadBadge: async () => ({ kind: 'not-converted' }) }),
    forgetBadge: () => undefined,
    pageSize: () => 100,
    logger: silentLogger,
    coalesceMs: 1,
  });
  return { model, registry, streaming, release };
}

async function repositoryOf(model: RegistryTreeModel): Promise<RepositoryNode> {
  const [registry] = (await model.children()) as RegistryNode[];
  const [repository] = await model.children(registry);
  return repository as RepositoryNode;
}

function tagNames(nodes: TreeNode[]): string[] {
  return nodes.map((node) => (node.kind === 'tag' ? node.tag : node.kind));
}

/** A tracker on a still fake clock, its events, and the data source the Cancel commands use. */
function cancelRig(streaming: FakeStreaming): { tracker: OperationTracker; events: TrackerEvent[]; source: StreamingDataSource; clock: FakeClock } {
  const clock = new FakeClock();
  const tracker = new OperationTracker({ resolveStreaming: () => streaming, clock, policy: { initialDelayMs: 1_000 } });
  const events: TrackerEvent[] = [];
  tracker.onEvent((event) => events.push(event));
  return { tracker, events, clock, source: new StreamingDataSource(tracker, { session: async () => ({ streaming }) }) };
}

const running: StreamingOperation = { id: 'op-7', repository: 'app', digest: DIGEST_A, status: 'Running', progress: 20 };

export const rows: FaultRow[] = [
  {
    fault: "VS Code re-reads a repository (its state arrived) while it fetches the repository's tags",
    item: 9,
    expected: 'that fetch answers no tags (the extension host would file them under a replaced record); the next fetch gets them, listed once',
    boundMs: 2_000,
    async run() {
      const { model, registry, release } = gatedTree();
      try {
        const repository = await repositoryOf(model);
        const pending = model.children(repository);
        model.treeItemRequested(repository);
        release();
        assert.deepEqual(await pending, []);
        assert.deepEqual(tagNames(await model.children(repository)), ['1.0']);
        assert.equal(registry.calls.filter((call) => call.startsWith('listTags')).length, 1);
      } finally {
        model.dispose();
      }
    },
  },
  {
    fault: 'a Refresh of a repository overtakes the tag listing VS Code is waiting for',
    item: 9,
    expected: "VS Code gets the current tags, which the model holds (badges loaded, tracker updates find them), never the replaced request's",
    boundMs: 2_000,
    async run() {
      const { model, registry, release } = gatedTree();
      try {
        const repository = await repositoryOf(model);
        const pending = model.children(repository);
        model.refresh(repository);
        registry.tags.set('app', [{ name: '2.0', digest: DIGEST_B }]);
        release();
        const answer = await pending;
        await settle();
        model.flushChanges();
        assert.deepEqual(tagNames(answer), ['2.0']);
        assert.deepEqual(model.tagNodesFor(LOGIN, 'app', DIGEST_B), answer);
        assert.equal((answer[0] as TagNode).badge?.kind, 'not-converted');
      } finally {
        model.dispose();
      }
    },
  },
  {
    fault: 'the cancel reply is already terminal (Canceled), with no poll in between',
    item: 10,
    expected: "the tracker emits one 'finished' (Canceled) and the tree reloads the image's badges",
    boundMs: 2_000,
    async run() {
      const streaming = new FakeStreaming(LOGIN);
      const { tracker, events, source } = cancelRig(streaming);
      const reloaded: string[] = [];
      const sync = syncBadgesWithTracker(tracker, { setBadge: () => undefined, reloadBadges: (_l, repository, digest) => reloaded.push(`${repository}@${digest}`) });
      try {
        const tracked = tracker.track(LOGIN, running, { image: 'app:1.0' });
        const result = await source.cancel(tracked.key);
        assert.equal(result.status, 'Canceled');
        assert.deepEqual(
          events.filter((event) => event.type === 'finished').map((event) => event.operation.status),
          ['Canceled'],
        );
        assert.deepEqual(reloaded, [`app@${DIGEST_A}`]);
      } finally {
        sync.dispose();
        tracker.dispose();
      }
    },
  },
  {
    fault: 'a poll sees the operation Canceled before the cancel reply arrives',
    item: 10,
    expected: "the cancel still resolves Canceled and the tracker emits 'finished' exactly once",
    boundMs: 2_000,
    async run() {
      const streaming = new FakeStreaming(LOGIN);
      const { tracker, events, source, clock } = cancelRig(streaming);
      try {
        const tracked = tracker.track(LOGIN, running, { image: 'app:1.0' });
        streaming.getOperation = async (repository, id) => ({ id, repository, status: 'Canceled', progress: 20 });
        await clock.advance(1_000); // the poll lands first
        const result = await source.cancel(tracked.key);
        assert.equal(result.status, 'Canceled');
        assert.equal(events.filter((event) => event.type === 'finished').length, 1);
      } finally {
        tracker.dispose();
      }
    },
  },
];
