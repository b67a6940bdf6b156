import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { pipeSink } from '../../../src/cli/pipeSink';

class FakeStream extends EventEmitter {
  written: string[] = [];
  isTTY = false;
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
}

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe('pipeSink', () => {
  it('writes through until the reader goes away (EPIPE), then drops output without throwing', () => {
    const stream = new FakeStream();
    const sink = pipeSink(stream);
    sink.write('one\n');
    stream.emit('error', errnoError('EPIPE'));
    sink.write('two\n');
    assert.deepEqual(stream.written, ['one\n']);
  });

  it('still fails loudly on other stream errors', () => {
    const stream = new FakeStream();
    pipeSink(stream);
    assert.throws(() => stream.emit('error', errnoError('EIO')), /EIO/);
  });

  it('passes isTTY and columns through', () => {
    const stream = Object.assign(new FakeStream(), { isTTY: true, columns: 120 });
    const sink = pipeSink(stream);
    assert.equal(sink.isTTY, true);
    assert.equal(sink.columns, 120);
  });
});
