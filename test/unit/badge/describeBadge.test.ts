import * as assert from 'node:assert/strict';
import { computeBadge, describeBadge } from '../../../src/core/badge';
import type { BadgeState } from '../../../src/core/badge';
import { CONVERSION_FAILURE_HINTS } from '../../../src/core/errors';
import { MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { imageManifest, indexManifest, LINUX_ARM64, LINUX_ARM_V7, operation, streamingDescriptor, WINDOWS_AMD64 } from '../support/fixtures';

function unsupported(manifest = imageManifest('arm', { platform: LINUX_ARM64 })): BadgeState {
  return computeBadge({ manifest, streamingReferrers: [] });
}

describe('describeBadge', () => {
  it('says streamed and lists the artifact with its format and platform', () => {
    const artifact = streamingDescriptor('a');
    const text = describeBadge({ kind: 'streamed', artifacts: [artifact] });
    assert.equal(text.short, 'streamed');
    assert.ok(text.detail.includes(artifact.digest));
    assert.match(text.detail, /overlaybd v1, linux\/amd64/);
  });

  it('keeps annotation text on one bounded line', () => {
    const artifact = { ...streamingDescriptor('evil'), annotations: { 'streaming.format': `over\nlay\u0000${'z'.repeat(300)}` } };
    const { detail } = describeBadge({ kind: 'streamed', artifacts: [artifact] });
    assert.ok(![...detail].some((c) => c.charCodeAt(0) < 0x20), detail);
    assert.ok(!detail.includes('z'.repeat(100)));
  });

  it('shows conversion progress, or that it is queued', () => {
    const running = operation({ status: 'Running', progress: 40, startTime: '2025-04-28T03:54:17Z' });
    const text = describeBadge({ kind: 'converting', progress: 40, operation: running });
    assert.equal(text.short, 'converting 40%');
    assert.match(text.detail, /running \(40%\), started 2025-04-28T03:54:17Z/);
    assert.equal(describeBadge({ kind: 'converting', progress: 0, operation: operation({ status: 'NotStarted' }) }).short, 'converting (queued)');
  });

  it('names the failure code and says what to do', () => {
    const failed = computeBadge({ manifest: imageManifest('x'), streamingReferrers: [], lastOperation: operation({ status: 'Failed', errorCode: 'RESOURCE_NOT_FOUND' }) });
    const text = describeBadge(failed);
    assert.equal(text.short, 'failed: RESOURCE_NOT_FOUND');
    assert.ok(text.detail.includes(CONVERSION_FAILURE_HINTS.RESOURCE_NOT_FOUND));
  });

  it('distinguishes never converted, cancelled, and converted-then-deleted', () => {
    assert.equal(describeBadge({ kind: 'not-converted' }).short, 'not converted');
    assert.match(describeBadge({ kind: 'not-converted' }).detail, /auto-conversion/);
    assert.match(describeBadge({ kind: 'not-converted', lastOperation: operation({ status: 'Canceled' }) }).detail, /was cancelled/);
    assert.match(describeBadge({ kind: 'not-converted', lastOperation: operation({ status: 'Succeeded' }) }).detail, /may have been deleted/);
  });

  it('says which platforms an unconvertible image has', () => {
    assert.equal(describeBadge(unsupported()).short, 'not convertible: linux/arm64 only');
    assert.equal(describeBadge(unsupported(imageManifest('win', { platform: WINDOWS_AMD64 }))).short, 'not convertible: windows/amd64 only');
    const index = indexManifest('idx', [
      { label: 'a', platform: LINUX_ARM64 },
      { label: 'b', platform: LINUX_ARM_V7 },
      { label: 'c', platform: WINDOWS_AMD64 },
    ]);
    assert.equal(describeBadge(unsupported(index)).short, 'not convertible: linux/arm64, linux/arm/v7 +1 only');
    assert.equal(describeBadge(unsupported(indexManifest('empty', []))).short, 'not convertible: no linux/amd64');
  });

  it('names the other unsupported reasons and gives the hint', () => {
    const mediaType = describeBadge(unsupported(imageManifest('m', { mediaType: 'application/octet-stream' })));
    assert.equal(mediaType.short, 'not convertible: media type');
    assert.ok(mediaType.detail.includes(CONVERSION_FAILURE_HINTS.UNSUPPORTED_MEDIATYPE));
    assert.equal(describeBadge(unsupported(imageManifest('s', { artifactType: STREAMING_ARTIFACT_TYPE }))).short, 'not convertible: streaming artifact');
    const sig = describeBadge(unsupported(imageManifest('g', { configMediaType: MEDIA_TYPES.ociEmptyConfig })));
    assert.equal(sig.short, 'not convertible: not runnable');
    assert.ok(sig.detail.includes(CONVERSION_FAILURE_HINTS.IMAGE_NOT_RUNNABLE));
  });
});
