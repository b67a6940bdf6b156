import * as assert from 'node:assert/strict';
import { InvalidInputError } from '../../../src/core/errors';
import { MAX_ECHO_LENGTH, quoteInput } from '../../../src/core/quoteInput';
import { parseImageReference, parseRegistry, validateRepository } from '../../../src/core/reference';

/** The message and hint of the error `fn` throws. */
function said(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidInputError, String(error));
    return error.describe();
  }
  assert.fail('expected an InvalidInputError');
}

/** How many separate runs of `char` at least 20 long the text holds: one per echo of a long input. */
function echoes(text: string, char: string): number {
  return text.match(new RegExp(`${char}{20,}`, 'g'))?.length ?? 0;
}

describe('quoteInput', () => {
  it('quotes short input as it is', () => {
    assert.equal(quoteInput('samples/hello:1.0'), '"samples/hello:1.0"');
  });

  it('cuts long input to a readable length with an ellipsis and says how long it was', () => {
    const quoted = quoteInput('a'.repeat(100_000));
    assert.equal(quoted, `"${'a'.repeat(MAX_ECHO_LENGTH - 1)}…" (100,000 characters)`);
  });

  it('removes credentials before cutting, so a cut cannot hide them from the redaction', () => {
    const quoted = quoteInput(`https://admin:hunter2@${'h'.repeat(200)}.example.com`);
    assert.doesNotMatch(quoted, /hunter2|hunt/);
    assert.match(quoted, /^"https:\/\/<redacted>@h+…"/);
  });

  it('puts input on one line', () => {
    assert.equal(quoteInput('a\nb\u001b[31mc'), '"a b [31mc"');
  });
});

describe('input echoed by reference parsing', () => {
  const refusedForAnotherReason: Array<[string, string]> = [
    ['a bad scheme', 'ftp://admin:hunter2@myreg.azurecr.io'],
    ['a bad port', 'http://admin:hunter2@127.0.0.1:99999'],
    ['a path', 'https://admin:hunter2@myreg.azurecr.io/v2'],
    ['no scheme and a bad port', 'admin:hunter2@127.0.0.1:99999'],
    ['no scheme', 'admin:hunter2@myreg.azurecr.io'],
    ['a user only', 'https://hunter2@myreg.azurecr.io'],
  ];
  for (const [reason, input] of refusedForAnotherReason) {
    it(`never echoes the password of a registry URL with ${reason}`, () => {
      const message = said(() => parseRegistry(input));
      assert.doesNotMatch(message, /hunter2/);
      assert.match(message, /credentials/);
    });
  }

  it('echoes a 100,000-character image at most once, cut', () => {
    const image = `${'a'.repeat(100_000)}:1`;
    const message = said(() => parseImageReference(image));
    assert.equal(echoes(message, 'a'), 1, message);
    assert.ok(message.length < 400, `${message.length} characters`);
  });

  it('echoes a 100,000-character image without a tag at most once, hint included', () => {
    const message = said(() => parseImageReference('a'.repeat(100_000)));
    assert.equal(echoes(message, 'a'), 1, message);
  });

  it('still names the part and the whole of a short reference', () => {
    assert.match(said(() => parseImageReference('samples/hello:-bad')), /"-bad" in "samples\/hello:-bad" is not a valid tag/);
  });

  it('names the wrong part only, once, when the whole reference is long', () => {
    const message = said(() => parseImageReference(`samples/${'b'.repeat(5_000)}:-bad`));
    assert.match(message, /^"-bad" is not a valid tag/);
    assert.equal(echoes(message, 'b'), 0);
  });

  it('cuts a long repository name and a long registry', () => {
    assert.equal(echoes(said(() => validateRepository('A'.repeat(200))), 'A'), 1);
    assert.equal(echoes(said(() => parseRegistry(`${'r'.repeat(100_000)}.io:99999`)), 'r'), 1);
  });
});
