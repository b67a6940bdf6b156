import * as assert from 'node:assert/strict';
import type { TrackedOperation } from '../../../src/core/tracker';
import { notificationFor } from '../../../src/services/operationNotifications';
import { statusBarModel } from '../../../src/statusBar/statusBarModel';
import { DIGEST_A } from './fakes';

function op(partial: Partial<TrackedOperation>): TrackedOperation {
  return {
    key: `reg.example.io|app|${partial.operationId ?? 'op'}`,
    loginServer: 'reg.example.io',
    repository: 'app',
    operationId: 'op',
    status: 'Running',
    progress: 0,
    trackedAt: 1,
    updatedAt: 1,
    ...partial,
  };
}

describe('status bar model', () => {
  it('is hidden when nothing runs', () => {
    assert.equal(statusBarModel([]).visible, false);
    assert.equal(statusBarModel([op({ status: 'Succeeded', progress: 100 }), op({ status: 'Failed' }), op({ status: 'Canceled' })]).visible, false);
    assert.equal(statusBarModel([op({ status: 'Unknown', progress: 40 })]).visible, false, 'an operation the registry lost is not running');
  });

  it('counts running conversions and shows their average progress', () => {
    const model = statusBarModel([
      op({ operationId: '1', image: 'app:1.0', progress: 20 }),
      op({ operationId: '2', image: 'app:2.0', progress: 61 }),
      op({ operationId: '3', status: 'NotStarted', image: 'app:3.0', progress: 0 }),
      op({ operationId: '4', status: 'Succeeded', progress: 100 }),
    ]);
    assert.equal(model.visible, true);
    assert.equal(model.text, '$(sync~spin) 3 converting, 27%');
    assert.match(model.tooltip, /app:1\.0 on reg\.example\.io: 20%/);
    assert.match(model.tooltip, /app:3\.0 on reg\.example\.io: queued/);
    assert.doesNotMatch(model.tooltip, /100%/);
  });

  it('names an image without a display name by digest', () => {
    const model = statusBarModel([op({ digest: DIGEST_A, progress: 40 })]);
    assert.equal(model.text, '$(sync~spin) 1 converting, 40%');
    assert.ok(model.tooltip.includes(`app@${DIGEST_A}`));
  });
});

describe('operation notifications', () => {
  it('offers Show Referrers when a conversion succeeds', () => {
    const n = notificationFor({ type: 'finished', operation: op({ status: 'Succeeded', progress: 100, image: 'app:1.0', digest: DIGEST_A }) });
    assert.equal(n?.severity, 'info');
    assert.match(n?.message ?? '', /app:1\.0/);
    assert.deepEqual(n?.actions, [
      { title: 'Show Referrers', command: 'acrStreaming.showReferrers', args: [{ loginServer: 'reg.example.io', repository: 'app', digest: DIGEST_A, image: 'app:1.0' }] },
    ]);
  });

  it('explains a failure with its code and hint, and offers Show Error', () => {
    const n = notificationFor({ type: 'finished', operation: op({ status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM', image: 'app:arm', digest: DIGEST_A }) });
    assert.equal(n?.severity, 'error');
    assert.match(n?.message ?? '', /UNSUPPORTED_PLATFORM/);
    assert.match(n?.message ?? '', /linux\/amd64/);
    assert.equal(n?.actions[0].title, 'Show Error');
    assert.equal(n?.actions[0].command, 'acrStreaming.openStreamingPanel');
  });

  it('stays quiet for progress, additions and cancellations', () => {
    assert.equal(notificationFor({ type: 'updated', operation: op({ progress: 50 }) }), undefined);
    assert.equal(notificationFor({ type: 'added', operation: op({ status: 'Succeeded' }) }), undefined);
    assert.equal(notificationFor({ type: 'finished', operation: op({ status: 'Canceled' }) }), undefined);
  });
});
