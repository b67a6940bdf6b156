import * as assert from 'node:assert/strict';
import { elapsedMs, formatBytes, formatDuration, formatTime, isOngoingStatus, shortDigest, statusLabel } from '../../../webview/render/format';
import { DIGEST } from './fixtures';

describe('webview formatting', () => {
  it('formats durations as s, m ss and h mm', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(45_900), '45s');
    assert.equal(formatDuration(125_000), '2m 05s');
    assert.equal(formatDuration(3_720_000), '1h 02m');
    assert.equal(formatDuration(-5), '0s');
  });

  it('formats sizes in binary units', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(1024 * 1024), '1 MiB');
    assert.equal(formatBytes(23.4 * 1024 * 1024), '23 MiB');
    assert.equal(formatBytes(Number.NaN), '0 B');
  });

  it('shortens digests and leaves short text alone', () => {
    assert.equal(shortDigest(DIGEST), `sha256:${'a'.repeat(12)}…`);
    assert.equal(shortDigest('sha256:abc'), 'sha256:abc');
  });

  it('shows a non-timestamp as given', () => {
    assert.equal(formatTime('not a time'), 'not a time');
    assert.notEqual(formatTime('2025-04-28T03:54:17Z', 'en-US'), '2025-04-28T03:54:17Z');
  });

  it('measures elapsed time to now while running and to the last update once ended', () => {
    const start = '2025-04-28T03:54:17Z';
    const now = Date.parse(start) + 90_000;
    assert.equal(elapsedMs({ status: 'Running', startTime: start, updatedAt: start }, now), 90_000);
    assert.equal(elapsedMs({ status: 'Succeeded', startTime: start, updatedAt: '2025-04-28T03:55:17Z' }, now), 60_000);
    assert.equal(elapsedMs({ status: 'Running', startTime: undefined, updatedAt: start }, now), undefined);
  });

  it('names statuses for people', () => {
    assert.equal(statusLabel('NotStarted'), 'Queued');
    assert.equal(statusLabel('Canceled'), 'Canceled');
    assert.equal(statusLabel('Unknown'), 'Unknown');
  });

  it('an unknown operation is not ongoing: its clock stops, it is not counted as running', () => {
    assert.equal(isOngoingStatus('Unknown'), false);
    const start = '2025-04-28T03:54:17Z';
    assert.equal(elapsedMs({ status: 'Unknown', startTime: start, updatedAt: '2025-04-28T03:55:17Z' }, Date.parse(start) + 3_600_000), 60_000);
  });
});
