import assert from 'node:assert/strict';
import { cell, formatBytes, parseOutputFormat, renderFields, renderTable, toJson, writeResult } from '../../../src/cli/output';
import { StderrChannel } from '../../../src/cli/stderrChannel';
import { badgeResult, operationResult, referrersResult, repositoryStateResult } from '../../../src/cli/views';
import { InvalidInputError } from '../../../src/core/errors';
import { digestOf, operation, signatureDescriptor, streamingDescriptor } from '../support/fixtures';
import { StringSink } from './cliHarness';

describe('cli: output formatting', () => {
  it('renders aligned tables, with the last column unpadded', () => {
    assert.deepEqual(renderTable(['A', 'LONGER'], [['xx', 'y'], ['z', undefined]]), ['A   LONGER', 'xx  y', 'z']);
  });

  it('renders fields and leaves out empty ones', () => {
    assert.deepEqual(renderFields([['Status', 'Running'], ['Error', undefined], ['Progress', '40%']]), ['Status    Running', 'Progress  40%']);
  });

  it('strips control characters and new lines from registry text shown to people', () => {
    assert.equal(cell('evil\u001b[31mred\u009b2J\nnext'), 'evil[31mred2J next');
    assert.equal(cell('x'.repeat(300)).length, 200);
  });

  it('escapes DEL and C1 controls in JSON, which JSON.stringify leaves raw', () => {
    const text = toJson({ a: 'csi\u009b[2J del\u007f' });
    assert.doesNotMatch(text, /[\u007f-\u009f]/);
    assert.deepEqual(JSON.parse(text), { a: 'csi\u009b[2J del\u007f' });
  });

  it('writes exactly one JSON document with --output json, and lines otherwise', () => {
    const json = new StringSink();
    writeResult(json, 'json', { data: { ok: true }, lines: ['ignored'] });
    assert.deepEqual(JSON.parse(json.text), { ok: true });
    const table = new StringSink();
    writeResult(table, 'table', { data: { ok: true }, lines: ['one', 'two'] });
    assert.equal(table.text, 'one\ntwo\n');
  });

  it('parses --output', () => {
    assert.equal(parseOutputFormat(undefined), 'table');
    assert.equal(parseOutputFormat('JSON'), 'json');
    assert.throws(() => parseOutputFormat('yaml'), InvalidInputError);
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(778), '778 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
  });

  it('shows a failed operation with its code and the documented hint', () => {
    const result = operationResult(operation({ status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM', digest: digestOf('x'), progress: 0 }));
    assert.equal((result.data as { hint?: string }).hint?.includes('linux/amd64'), true);
    assert.ok(result.lines.some((line) => /^Error\s+UNSUPPORTED_PLATFORM$/.test(line)));
    assert.ok(result.lines.some((line) => line.startsWith('Image') && line.includes(`samples/hello@${digestOf('x')}`)));
  });

  it('shows a repository as Active or Inactive', () => {
    const active = repositoryStateResult({ repository: 'samples/auto', convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' });
    assert.equal((active.data as { state: string }).state, 'Active');
    assert.match(active.lines.join('\n'), /Active \(new pushes are converted\)/);
    assert.equal((repositoryStateResult({ repository: 'r', convertPushedImages: false }).data as { state: string }).state, 'Inactive');
  });

  it('lists referrers with streaming details, and says when there are none', () => {
    const result = referrersResult('samples/hello:1.0', digestOf('img'), [streamingDescriptor('a'), signatureDescriptor('sig')]);
    assert.match(result.lines[0], /^DIGEST\s+ARTIFACT TYPE\s+SIZE\s+DETAILS$/);
    assert.match(result.lines[1], /application\/vnd\.azure\.artifact\.streaming\.v1\s+789 B\s+overlaybd v1, linux\/amd64/);
    assert.match(result.lines[2], /application\/vnd\.cncf\.notary\.signature/);
    assert.equal((result.data as { referrers: unknown[] }).referrers.length, 2);
    assert.deepEqual(referrersResult('i:1', digestOf('i'), []).lines, [`i:1 (${digestOf('i')}) has no referrers.`]);
  });

  it('shows an unsupported badge with its code, reason and platforms', () => {
    const result = badgeResult('samples/arm64-only:1.0', digestOf('arm'), {
      kind: 'unsupported',
      reason: 'platform',
      code: 'NO_SUPPORTED_PLATFORM_FOUND',
      message: 'The image index has no linux/amd64 entry (it has linux/arm64).',
      platforms: ['linux/arm64'],
    });
    const data = result.data as { state: string; code: string; reason: string; platforms: string[]; summary: string };
    assert.deepEqual([data.state, data.code, data.reason, data.platforms], ['unsupported', 'NO_SUPPORTED_PLATFORM_FOUND', 'platform', ['linux/arm64']]);
    assert.match(result.lines.join('\n'), /State\s+not convertible: linux\/arm64 only/);
    assert.match(result.lines.join('\n'), /Reason\s+The image index has no linux\/amd64 entry/);
  });

  it('shows a converting badge with its progress and operation', () => {
    const op = operation({ status: 'Running', progress: 40 });
    const result = badgeResult('samples/hello:1.0', digestOf('h'), { kind: 'converting', progress: 40, operation: op });
    const data = result.data as { progress: number; operation: { id: string } };
    assert.equal(data.progress, 40);
    assert.equal(data.operation.id, op.id);
    assert.match(result.lines.join('\n'), /State\s+converting 40%/);
  });
});

describe('cli: stderr channel', () => {
  it('redraws one progress line on a terminal and clears it before other lines', () => {
    const sink = new StringSink(true, 80);
    const channel = new StderrChannel(sink);
    channel.progress('Converting: 10%');
    channel.progress('Converting: 20%');
    channel.line('warning: slow');
    channel.endProgress();
    assert.equal(sink.text, '\r\x1b[2KConverting: 10%\r\x1b[2KConverting: 20%\r\x1b[2Kwarning: slow\nConverting: 20%\r\x1b[2K');
  });

  it('cuts a progress line to the terminal width so it never wraps', () => {
    const sink = new StringSink(true, 20);
    new StderrChannel(sink).progress('x'.repeat(50));
    assert.equal(sink.text, `\r\x1b[2K${'x'.repeat(16)}...`);
  });

  it('writes plain lines, once per change, when stderr is not a terminal', () => {
    const sink = new StringSink(false);
    const channel = new StderrChannel(sink);
    channel.progress('Converting: 10%');
    channel.progress('Converting: 10%');
    channel.progress('Converting: 20%');
    channel.endProgress();
    assert.equal(sink.text, 'Converting: 10%\nConverting: 20%\n');
    assert.ok(!sink.text.includes('\r') && !sink.text.includes('\x1b'));
  });

  it('never writes a registered secret or a token, and strips escape sequences', () => {
    const sink = new StringSink(false);
    const channel = new StderrChannel(sink);
    channel.addSecret('pa55word!');
    channel.line('login with pa55word! failed; Authorization: Bearer abc.def.ghi \u001b]0;title\u0007');
    for (const leaked of ['pa55word!', 'abc.def.ghi', '\u001b', '\u0007']) {
      assert.ok(!sink.text.includes(leaked), leaked);
    }
    assert.match(sink.text, /<redacted>/);
  });
});
