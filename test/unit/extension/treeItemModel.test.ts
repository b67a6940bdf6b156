import * as assert from 'node:assert/strict';
import type { BadgeState } from '../../../src/core/badge/badgeState';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { ContextValue } from '../../../src/tree/contextValues';
import {
  createLoadMoreNode,
  createMessageNode,
  createReferrerNode,
  createRegistryNode,
  createRepositoryNode,
  createTagNode,
  imageReferenceOf,
} from '../../../src/tree/nodes';
import { describeNode } from '../../../src/tree/treeItemModel';
import { DIGEST_A, DIGEST_B, runningOperation } from './fakes';

const registry = createRegistryNode('reg.example.io', 'user alice');
const repository = createRepositoryNode(registry, 'samples/app');

function tagWith(badge: BadgeState | undefined, name = '1.0') {
  const tag = createTagNode(repository, { name, digest: DIGEST_A, createdTime: '2025-01-01T00:00:00Z' });
  tag.badge = badge;
  return tag;
}

describe('tree item model', () => {
  describe('tags: one look per badge', () => {
    const cases: Array<{ badge: BadgeState; description: RegExp; icon: string; color?: string; contextValue: string; tooltip: RegExp }> = [
      {
        badge: { kind: 'streamed', artifacts: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST_B, size: 1, artifactType: STREAMING_ARTIFACT_TYPE }] },
        description: /^streamed$/,
        icon: 'pass-filled',
        color: 'testing.iconPassed',
        contextValue: 'tag.streamed',
        tooltip: /Show Referrers/,
      },
      {
        badge: { kind: 'converting', progress: 40, operation: runningOperation(40) },
        description: /^converting 40%$/,
        icon: 'sync~spin',
        color: 'charts.blue',
        contextValue: 'tag.converting',
        tooltip: /Cancel Operation/,
      },
      {
        badge: { kind: 'failed', code: 'UNSUPPORTED_PLATFORM', message: 'The conversion failed.', hint: 'Build a linux/amd64 image.', operation: { ...runningOperation(0), status: 'Failed' } },
        description: /^failed: UNSUPPORTED_PLATFORM$/,
        icon: 'error',
        color: 'testing.iconFailed',
        contextValue: 'tag.failed',
        tooltip: /UNSUPPORTED\\_PLATFORM/,
      },
      { badge: { kind: 'not-converted' }, description: /^not converted$/, icon: 'circle-large-outline', contextValue: 'tag.convertible', tooltip: /Create Streaming Artifact/ },
      {
        badge: { kind: 'unsupported', reason: 'platform', code: 'UNSUPPORTED_PLATFORM', message: 'It is a linux/arm64 image.', platforms: ['linux/arm64'] },
        description: /^not convertible: linux\/arm64 only$/,
        icon: 'circle-slash',
        color: 'disabledForeground',
        contextValue: 'tag.unsupported',
        tooltip: /ACR would refuse/,
      },
    ];
    for (const c of cases) {
      it(`${c.badge.kind}`, () => {
        const model = describeNode(tagWith(c.badge));
        assert.equal(model.label, '1.0');
        assert.match(model.description ?? '', c.description);
        assert.equal(model.icon.id, c.icon);
        assert.equal(model.icon.color, c.color);
        assert.equal(model.contextValue, c.contextValue);
        assert.match(model.tooltip, c.tooltip);
        assert.equal(model.collapsible, 'collapsed', 'referrers are the children of a tag');
      });
    }

    it('shows a loading state before the badge arrives, and an explained warning when it failed', () => {
      const loading = describeNode(tagWith(undefined));
      assert.equal(loading.icon.id, 'loading~spin');
      assert.equal(loading.contextValue, ContextValue.tagLoading);
      const failed = tagWith(undefined);
      failed.badgeError = 'Could not reach the registry.';
      const model = describeNode(failed);
      assert.equal(model.icon.id, 'warning');
      assert.equal(model.description, 'badge unavailable');
      assert.match(model.tooltip, /Could not reach the registry\\\./);
    });
  });

  it('escapes server text in tooltips so it cannot inject links or HTML', () => {
    const evil = '[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**';
    const tag = tagWith({
      kind: 'failed',
      code: 'UNKNOWN_ERROR',
      message: `The conversion failed: ${evil}`,
      hint: 'Try again.',
      operation: { ...runningOperation(0), status: 'Failed' },
    });
    const tooltip = describeNode(tag).tooltip;
    // Every bracket, parenthesis and angle bracket from the server is backslash-escaped.
    assert.doesNotMatch(tooltip, /(^|[^\\])[[(<]click|(^|[^\\])<img/);
    assert.ok(tooltip.includes('\\[click\\]\\(command\\:'), tooltip);
    assert.ok(tooltip.includes('\\<img'), tooltip);
  });

  it('keeps ids stable and distinct per level', () => {
    const a = describeNode(tagWith(undefined, '1.0'));
    const b = describeNode(tagWith({ kind: 'not-converted' }, '1.0'));
    assert.equal(a.id, b.id, 'a badge change keeps the id');
    const ids = new Set([registry, repository, tagWith(undefined)].map((n) => describeNode(n).id));
    assert.equal(ids.size, 3);
    assert.equal(imageReferenceOf(tagWith(undefined)), 'reg.example.io/samples/app:1.0');
  });

  it('registries: ready, sign-in and error states', () => {
    const ready = describeNode(createRegistryNode('reg.example.io', 'anonymous'));
    assert.deepEqual([ready.label, ready.description, ready.icon.id, ready.contextValue], ['reg.example.io', 'anonymous', 'server', 'registry']);

    const signin = createRegistryNode('reg.example.io', 'anonymous');
    signin.state = { kind: 'signin', message: 'authentication required' };
    const model = describeNode(signin);
    assert.equal(model.description, 'Sign in…');
    assert.equal(model.contextValue, ContextValue.registrySignIn);
    assert.equal(model.icon.id, 'account');

    const broken = createRegistryNode('reg.example.io', 'anonymous');
    broken.state = { kind: 'error', message: 'ECONNREFUSED' };
    assert.equal(describeNode(broken).contextValue, 'registry.error');
  });

  it('repositories: Active / Inactive as description and icon', () => {
    const repo = createRepositoryNode(registry, 'app');
    assert.equal(describeNode(repo).contextValue, 'repository.unknown');
    assert.equal(describeNode(repo).description, undefined);
    repo.autoConversion = true;
    let model = describeNode(repo);
    assert.deepEqual([model.description, model.icon.id, model.contextValue], ['Active', 'zap', 'repository.active']);
    assert.match(model.tooltip, /Stop Artifact Streaming/);
    repo.autoConversion = false;
    model = describeNode(repo);
    assert.deepEqual([model.description, model.icon.id, model.contextValue], ['Inactive', 'repo', 'repository.inactive']);
    assert.match(model.tooltip, /Start Artifact Streaming/);
  });

  it('referrers: artifact type and short digest; streaming artifacts named as such', () => {
    const tag = tagWith({ kind: 'not-converted' });
    const streaming = describeNode(
      createReferrerNode(tag, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST_B, size: 10, artifactType: STREAMING_ARTIFACT_TYPE, annotations: { 'streaming.format': 'overlaybd' } }),
    );
    assert.equal(streaming.label, 'streaming artifact');
    assert.equal(streaming.description, `sha256:${'b'.repeat(12)}`);
    assert.equal(streaming.contextValue, 'referrer');
    assert.equal(streaming.collapsible, 'none');
    assert.match(streaming.tooltip, /overlaybd/);
    const sbom = describeNode(createReferrerNode(tag, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST_B, size: 10, artifactType: 'application/spdx+json' }));
    assert.equal(sbom.label, 'application/spdx+json');
  });

  it('"Load more…" runs the load-more command with itself as the argument', () => {
    const node = createLoadMoreNode(repository, 'next-page');
    const model = describeNode(node);
    assert.equal(model.label, 'Load more…');
    assert.equal(model.contextValue, 'loadMore');
    assert.equal(model.command?.id, 'acrStreaming.loadMore');
    assert.equal(model.command?.target, node);
    assert.notEqual(createLoadMoreNode(repository, 'other').id, node.id, 'each page has its own node');
  });

  it('a sign-in message runs Sign In on its registry', () => {
    const message = createMessageNode(registry, 'signin', 'Sign in…', 'signin', 'authentication required');
    const model = describeNode(message);
    assert.equal(model.command?.id, 'acrStreaming.signIn');
    assert.equal(model.command?.target, registry);
    assert.equal(describeNode(createMessageNode(registry, 'empty', 'No repositories', 'info')).command, undefined);
  });
});
