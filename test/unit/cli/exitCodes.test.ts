import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { ExitCode, exitCodeFor } from '../../../src/cli/exitCodes';
import { AcrStreamingError, InvalidInputError } from '../../../src/core/errors';

describe('cli: exit codes', () => {
  it('maps input errors to 2, everything else that failed to 1', () => {
    assert.equal(exitCodeFor(new InvalidInputError('image', 'bad')), ExitCode.InvalidInput);
    assert.equal(exitCodeFor(new AcrStreamingError('INVALID_INPUT', 'bad id')), ExitCode.InvalidInput);
    for (const code of ['UNAUTHORIZED', 'NETWORK', 'SERVER_ERROR', 'CONVERSION_FAILED', 'CONVERSION_CANCELED', 'UNSUPPORTED_PLATFORM', 'NAME_UNKNOWN', 'TIMEOUT'] as const) {
      assert.equal(exitCodeFor(new AcrStreamingError(code, 'x')), ExitCode.Failure, code);
    }
    assert.equal(exitCodeFor(new Error('boom')), ExitCode.Failure);
    assert.equal(exitCodeFor('a string'), ExitCode.Failure);
  });

  it('maps Ctrl+C (CANCELLED) to 130', () => {
    assert.equal(exitCodeFor(new AcrStreamingError('CANCELLED', 'stopped')), 130);
  });

  it('maps commander usage errors to 2 and help or version to 0', () => {
    assert.equal(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x')), 2);
    assert.equal(exitCodeFor(new CommanderError(1, 'commander.help', 'x')), 2);
    assert.equal(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x')), 0);
    assert.equal(exitCodeFor(new CommanderError(0, 'commander.version', 'x')), 0);
  });
});
