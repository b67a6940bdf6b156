/** `acr-streaming … | head -1`: a reader that stops early ends the output, not with a stack trace. */
import * as assert from 'node:assert/strict';
import { ensureBuilt } from './cliProcess';
import { runWithClosedStdout } from './closedPipe';

describe('CLI output into a pipe that closes early', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  for (const args of [['--help'], ['list-referrers', '--help'], ['--version']]) {
    it(`acr-streaming ${args.join(' ')} | head: exits 0 without a stack trace`, async () => {
      const run = await runWithClosedStdout(args);
      assert.equal(run.stderr, '', 'nothing on stderr');
      assert.equal(run.code, 0);
    });
  }

  it('keeps the exit code of a command that failed', async () => {
    const run = await runWithClosedStdout(['status', '--registry', 'http://127.0.0.1:1', '--image', 'Bad Image']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: /);
    assert.doesNotMatch(run.stderr, /EPIPE|at .*\(/);
  });
});
