import * as assert from 'node:assert/strict';
import { computeBadge } from '../../../src/core/badge';
import type { BadgeState } from '../../../src/core/badge';
import { CONVERSION_FAILURE_HINTS } from '../../../src/core/errors';
import type { Descriptor, ManifestSummary, StreamingOperation } from '../../../src/core/models';
import { imageManifest, LINUX_ARM64, operation, signatureDescriptor, streamingDescriptor } from '../support/fixtures';

const image = imageManifest('app');
const artifact = streamingDescriptor('artifact');

function badge(lastOperation?: StreamingOperation, referrers: Descriptor[] = [], manifest: ManifestSummary = image): BadgeState {
  return computeBadge({ manifest, streamingReferrers: referrers, lastOperation });
}

describe('computeBadge', () => {
  it('is not-converted without referrers or operations', () => {
    assert.deepEqual(badge(), { kind: 'not-converted' });
  });

  it('is streamed when a streaming referrer exists, listing only streaming artifacts', () => {
    const state = badge(undefined, [signatureDescriptor('sig'), artifact]);
    assert.deepEqual(state, { kind: 'streamed', artifacts: [artifact] });
  });

  it('ignores referrers that are not streaming artifacts', () => {
    assert.equal(badge(undefined, [signatureDescriptor('sig')]).kind, 'not-converted');
  });

  it('is converting while the last operation is NotStarted or Running, with its progress', () => {
    const running = operation({ status: 'Running', progress: 40 });
    assert.deepEqual(badge(running), { kind: 'converting', progress: 40, operation: running });
    assert.equal(badge(operation({ status: 'NotStarted', progress: 0 })).kind, 'converting');
  });

  it('clamps and rounds progress', () => {
    assert.equal((badge(operation({ progress: 140 })) as { progress: number }).progress, 100);
    assert.equal((badge(operation({ progress: -3 })) as { progress: number }).progress, 0);
    assert.equal((badge(operation({ progress: Number.NaN })) as { progress: number }).progress, 0);
    assert.equal((badge(operation({ progress: 33.6 })) as { progress: number }).progress, 34);
  });

  it('prefers converting over streamed (a re-conversion in progress is what the user waits for)', () => {
    assert.equal(badge(operation({ status: 'Running', progress: 10 }), [artifact]).kind, 'converting');
  });

  it('prefers streamed over an older failure', () => {
    assert.equal(badge(operation({ status: 'Failed', errorCode: 'UNKNOWN_ERROR' }), [artifact]).kind, 'streamed');
  });

  it('is failed with the ACR code and its hint when the last operation failed', () => {
    const failed = operation({ status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM', details: 'Image platform linux/arm64 is not supported' });
    assert.deepEqual(badge(failed), {
      kind: 'failed',
      code: 'UNSUPPORTED_PLATFORM',
      message: 'The conversion failed: Image platform linux/arm64 is not supported',
      hint: CONVERSION_FAILURE_HINTS.UNSUPPORTED_PLATFORM,
      operation: failed,
    });
  });

  it('defaults the failure code to UNKNOWN_ERROR, also for text that is not a code', () => {
    const plain = badge(operation({ status: 'Failed' }));
    assert.equal(plain.kind === 'failed' && plain.code, 'UNKNOWN_ERROR');
    assert.equal(plain.kind === 'failed' && plain.hint, CONVERSION_FAILURE_HINTS.UNKNOWN_ERROR);
    assert.equal(plain.kind === 'failed' && plain.message, 'The conversion failed.');
    const junk = badge(operation({ status: 'Failed', errorCode: 'something <b>bad</b>' }));
    assert.equal(junk.kind === 'failed' && junk.code, 'UNKNOWN_ERROR');
  });

  it('keeps an unlisted but well-formed code, with a generic hint', () => {
    const state = badge(operation({ status: 'Failed', errorCode: 'QUOTA_EXCEEDED' }));
    assert.equal(state.kind === 'failed' && state.code, 'QUOTA_EXCEEDED');
    assert.match(state.kind === 'failed' ? state.hint : '', /start the conversion again/);
  });

  it('is not-converted, carrying the operation, after a cancel or a success whose artifact is gone', () => {
    const canceled = operation({ status: 'Canceled' });
    assert.deepEqual(badge(canceled), { kind: 'not-converted', lastOperation: canceled });
    const succeeded = operation({ status: 'Succeeded', progress: 100 });
    assert.deepEqual(badge(succeeded), { kind: 'not-converted', lastOperation: succeeded });
  });

  it('puts unsupported above everything else', () => {
    const arm = imageManifest('arm', { platform: LINUX_ARM64 });
    const state = badge(operation({ status: 'Running' }), [artifact], arm);
    assert.equal(state.kind, 'unsupported');
    assert.equal(state.kind === 'unsupported' && state.code, 'UNSUPPORTED_PLATFORM');
    assert.equal(state.kind === 'unsupported' && state.reason, 'platform');
  });
});
