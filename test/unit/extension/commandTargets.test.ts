import * as assert from 'node:assert/strict';
import {
  copyTextOf,
  isImageFocus,
  latestTrackedFor,
  nodesOfKind,
  planConversions,
  resolveImages,
  resolveRegistry,
  resolveRepositories,
  type ImageTarget,
  type TargetPickers,
} from '../../../src/commands/commandTargets';
import { createReferrerNode, createRegistryNode, createRepositoryNode, createTagNode } from '../../../src/tree/nodes';
import { DIGEST_A, DIGEST_B } from './fakes';

const registry = createRegistryNode('reg.example.io', 'anonymous');
const repo = createRepositoryNode(registry, 'app');
const tagA = createTagNode(repo, { name: 'a', digest: DIGEST_A });
const tagB = createTagNode(repo, { name: 'b', digest: DIGEST_B });
const tagC = createTagNode(repo, { name: 'c', digest: DIGEST_A });

/** Pickers that record what was asked and answer from a script. */
function pickers(answers: { registry?: string; repository?: string; image?: ImageTarget | 'all' } = {}): TargetPickers & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    pickRegistry: async () => {
      asked.push('registry');
      return answers.registry;
    },
    pickRepository: async (loginServer) => {
      asked.push(`repository@${loginServer}`);
      return answers.repository;
    },
    pickImage: async (loginServer, repository, options) => {
      asked.push(`image@${loginServer}/${repository}${options?.allowAll ? ' (all)' : ''}`);
      return answers.image;
    },
  };
}

describe('command targets', () => {
  describe('nodesOfKind', () => {
    it('uses the clicked node alone when it is not part of a multi-selection', () => {
      assert.deepEqual(nodesOfKind(tagA, [tagB, tagC], ['tag']), [tagA]);
      assert.deepEqual(nodesOfKind(tagA, undefined, ['tag']), [tagA]);
    });

    it('uses the whole selection when the clicked node is in it, keeping only the right kinds', () => {
      assert.deepEqual(nodesOfKind(tagA, [tagA, repo, tagB], ['tag']), [tagA, tagB]);
      assert.deepEqual(nodesOfKind(tagA, [tagA, tagA], ['tag']), [tagA]);
    });

    it('ignores anything that is not a tree node', () => {
      assert.deepEqual(nodesOfKind(undefined, [tagA], ['tag']), []);
      assert.deepEqual(nodesOfKind({ kind: 'tag' }, undefined, ['tag']), []);
      assert.deepEqual(nodesOfKind(repo, undefined, ['tag']), []);
    });
  });

  describe('resolveImages', () => {
    it('takes the selected tags without asking anything', async () => {
      const p = pickers();
      const result = await resolveImages(tagA, [tagA, tagB], p);
      assert.equal(result.kind, 'images');
      assert.deepEqual(result.kind === 'images' ? result.images.map((i) => i.tag) : [], ['a', 'b']);
      assert.deepEqual(p.asked, []);
    });

    it('takes a whole repository from a repository node when allowed, else asks for one of its tags', async () => {
      const whole = await resolveImages(repo, undefined, pickers(), { allowRepository: true });
      assert.deepEqual(whole, { kind: 'repository', repository: { loginServer: 'reg.example.io', repository: 'app', node: repo } });
      const p = pickers({ image: { loginServer: 'reg.example.io', repository: 'app', tag: 'x' } });
      const one = await resolveImages(repo, undefined, p);
      assert.deepEqual(p.asked, ['image@reg.example.io/app']);
      assert.equal(one.kind === 'images' ? one.images[0].tag : undefined, 'x');
    });

    it('falls back to registry, repository and image pickers from the palette', async () => {
      const p = pickers({ registry: 'reg.example.io', repository: 'app', image: 'all' });
      const result = await resolveImages(undefined, undefined, p, { allowRepository: true });
      assert.deepEqual(p.asked, ['registry', 'repository@reg.example.io', 'image@reg.example.io/app (all)']);
      assert.deepEqual(result, { kind: 'repository', repository: { loginServer: 'reg.example.io', repository: 'app', node: undefined } });
    });

    it('stops at the first picker the user dismisses', async () => {
      const p = pickers({ registry: 'reg.example.io' });
      assert.deepEqual(await resolveImages(undefined, undefined, p), { kind: 'none' });
      assert.deepEqual(p.asked, ['registry', 'repository@reg.example.io']);
    });

    it('accepts a focus object from a notification, validated', async () => {
      const focus = { loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A, image: 'app:1.0' };
      const result = await resolveImages(focus, undefined, pickers());
      assert.deepEqual(result, { kind: 'images', images: [{ loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A, tag: '1.0' }] });
      assert.equal(isImageFocus({ ...focus, digest: 'sha256:short' }), false);
      assert.equal(isImageFocus({ ...focus, repository: 'Bad Name' }), false);
    });
  });

  it('resolveRegistry and resolveRepositories use the node first, pickers last', async () => {
    const p = pickers({ registry: 'other.example.io', repository: 'lib' });
    assert.equal(await resolveRegistry(tagA, p), 'reg.example.io');
    assert.equal(await resolveRegistry({ loginServer: 'x.example.io' }, p), 'x.example.io');
    assert.deepEqual(p.asked, []);
    assert.deepEqual(
      (await resolveRepositories(tagA, undefined, p)).map((r) => r.repository),
      ['app'],
    );
    const repo2 = createRepositoryNode(registry, 'lib');
    assert.deepEqual(
      (await resolveRepositories(repo, [repo, repo2], p)).map((r) => r.repository),
      ['app', 'lib'],
    );
    assert.deepEqual(await resolveRepositories(undefined, undefined, p), [{ loginServer: 'other.example.io', repository: 'lib' }]);
  });

  describe('planConversions', () => {
    it('refuses known-unsupported images, skips streamed/converting ones, converts each digest once', () => {
      const unsupported = createTagNode(repo, { name: 'arm', digest: DIGEST_B });
      unsupported.badge = { kind: 'unsupported', reason: 'platform', code: 'UNSUPPORTED_PLATFORM', message: 'It is a linux/arm64 image.' };
      const streamed = createTagNode(repo, { name: 's', digest: DIGEST_B });
      streamed.badge = { kind: 'streamed', artifacts: [] };
      const fresh = createTagNode(repo, { name: 'n', digest: DIGEST_A });
      fresh.badge = { kind: 'not-converted' };
      const twin = createTagNode(repo, { name: 'n2', digest: DIGEST_A });
      const targets = [unsupported, streamed, fresh, twin].map((node) => ({ loginServer: node.loginServer, repository: node.repository, tag: node.tag, digest: node.digest, node }));
      const plan = planConversions(targets, (badge) => badge.message);
      assert.deepEqual(plan.convert.map((t) => t.tag), ['n']);
      assert.deepEqual(plan.refused.map((r) => [r.target.tag, r.reason]), [['arm', 'It is a linux/arm64 image.']]);
      assert.deepEqual(plan.skipped.map((s) => [s.target.tag, s.badge]), [['s', 'streamed']]);
    });

    it('lets images with no known badge through to the core pre-flight', () => {
      const plan = planConversions([{ loginServer: 'reg.example.io', repository: 'app', tag: 'typed' }], () => '');
      assert.equal(plan.convert.length, 1);
    });
  });

  it('copies references and digests of tags and referrers', () => {
    assert.equal(copyTextOf(tagA, 'reference'), 'reg.example.io/app:a');
    assert.equal(copyTextOf(tagA, 'digest'), DIGEST_A);
    const referrer = createReferrerNode(tagA, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST_B, size: 1 });
    assert.equal(copyTextOf(referrer, 'reference'), `reg.example.io/app@${DIGEST_B}`);
    assert.equal(copyTextOf(referrer, 'digest'), DIGEST_B);
  });

  it('finds the most recently tracked operation of an image', () => {
    const ops = [
      { loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A, trackedAt: 1, id: 'old' },
      { loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A, trackedAt: 5, id: 'new' },
      { loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_B, trackedAt: 9, id: 'other' },
    ];
    assert.equal(latestTrackedFor(ops, { loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A })?.id, 'new');
    assert.equal(latestTrackedFor(ops, { loginServer: 'reg.example.io', repository: 'lib', digest: DIGEST_A }), undefined);
  });
});
