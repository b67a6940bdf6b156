import * as assert from 'node:assert/strict';
import { softDeleteLine } from '../../../src/commands/softDeleteText';

describe('soft-delete implications', () => {
  it('says for how long an untagged tag can be restored when soft delete is on', () => {
    assert.equal(softDeleteLine({ kind: 'on', retentionDays: 7 }, 'untag'), 'Soft delete is on: the tag can be restored for 7 days.');
    assert.equal(softDeleteLine({ kind: 'on' }, 'untag'), 'Soft delete is on: the tag can be restored.');
  });

  it('says a deleted image comes back without its streaming artifacts', () => {
    const line = softDeleteLine({ kind: 'on', retentionDays: 30 }, 'delete');
    assert.match(line, /restored for 30 days/);
    assert.match(line, /streaming artifacts cannot/);
    assert.match(line, /convert it again/);
  });

  it('says nothing can be undone when soft delete is off', () => {
    assert.match(softDeleteLine({ kind: 'off' }, 'delete'), /cannot be undone/);
    assert.match(softDeleteLine({ kind: 'off' }, 'untag'), /cannot be restored/);
  });

  it('explains both cases when the policy is not known (a registry not found through Azure)', () => {
    for (const action of ['untag', 'delete'] as const) {
      const line = softDeleteLine({ kind: 'unknown' }, action);
      assert.match(line, /^If soft delete is on/);
      assert.match(line, /otherwise/);
    }
    assert.match(softDeleteLine({ kind: 'unknown' }, 'delete'), /not its streaming artifacts/);
  });
});
