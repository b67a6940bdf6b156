import * as assert from 'node:assert/strict';
import { parseImageReference, parseRegistry, formatImageReference } from '../../src/core/reference';
import { InvalidInputError } from '../../src/core/errors';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it('parses repo:tag, repo@digest and repo:tag@digest', () => {
    assert.deepEqual(parseImageReference('samples/hello:1.0'), { repository: 'samples/hello', tag: '1.0', digest: undefined, registry: undefined });
    assert.equal(parseImageReference(`hello@${DIGEST}`).digest, DIGEST);
    const both = parseImageReference(`hello:v1@${DIGEST}`);
    assert.equal(both.tag, 'v1');
    assert.equal(both.digest, DIGEST);
  });

  it('takes a leading login server and keeps ports apart from tags', () => {
    const ref = parseImageReference('127.0.0.1:5000/samples/hello:2');
    assert.equal(ref.registry, '127.0.0.1:5000');
    assert.equal(ref.repository, 'samples/hello');
    assert.equal(ref.tag, '2');
    assert.equal(parseImageReference('myreg.azurecr.io/app:latest').registry, 'myreg.azurecr.io');
  });

  const bad: Array<[string, string]> = [
    ['', 'image'],
    ['Hello:1', 'repository'],
    ['hello', 'image'],
    ['hello:', 'tag'],
    ['hello:-x', 'tag'],
    ['hello@sha256:abc', 'digest'],
    ['hello:a b', 'image'],
    ['a//b:1', 'repository'],
    ['hello--:1', 'repository'],
    [`hello:${'x'.repeat(129)}`, 'tag'],
  ];
  for (const [input, part] of bad) {
    it(`rejects ${JSON.stringify(input)} naming the ${part}`, () => {
      assert.throws(() => parseImageReference(input), (e: unknown) => e instanceof InvalidInputError && e.part === part);
    });
  }

  it('formats back', () => {
    assert.equal(formatImageReference({ repository: 'a/b', tag: 't', registry: 'r.io' }, true), 'r.io/a/b:t');
    assert.equal(formatImageReference({ repository: 'a', digest: DIGEST }), `a@${DIGEST}`);
  });
});

describe('parseRegistry', () => {
  it('turns a bare name into an azurecr.io login server over HTTPS', () => {
    assert.deepEqual(parseRegistry('MyRegistry'), { loginServer: 'myregistry.azurecr.io', baseUrl: 'https://myregistry.azurecr.io' });
    assert.equal(parseRegistry('myregistry', { defaultSuffix: '.azurecr.cn' }).loginServer, 'myregistry.azurecr.cn');
  });

  it('keeps login servers and URLs', () => {
    assert.deepEqual(parseRegistry('myreg.azurecr.io'), { loginServer: 'myreg.azurecr.io', baseUrl: 'https://myreg.azurecr.io' });
    assert.deepEqual(parseRegistry('http://127.0.0.1:5000'), { loginServer: '127.0.0.1:5000', baseUrl: 'http://127.0.0.1:5000' });
    assert.deepEqual(parseRegistry('https://localhost:8443/'), { loginServer: 'localhost:8443', baseUrl: 'https://localhost:8443' });
  });

  for (const input of ['', 'ftp://x.io', 'https://u:p@x.io', 'https://x.io/path', 'abc', 'a/b', 'bad_host.io', 'x.io:99999']) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseRegistry(input), (e: unknown) => e instanceof InvalidInputError && e.part === 'registry');
    });
  }
});
