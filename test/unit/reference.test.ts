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
  describe('refuses link-local and cloud metadata addresses in every spelling', () => {
    const spellings = [
      '169.254.169.254',
      'http://169.254.169.254',
      'https://169.254.169.254:443',
      '169.254.1.1:5000',
      'http://169.254.169.254.',
      // Spellings the WHATWG URL parser turns into 169.254.169.254.
      'http://2852039166',
      '2852039166:80',
      'http://0xa9fea9fe',
      '0xa9.0xfe.0xa9.0xfe',
      'http://0251.0376.0251.0376',
      'http://169.254.43518',
      // IPv6: AWS metadata, link-local fe80::/10, and IPv4 inside IPv6.
      'http://[fd00:ec2::254]',
      '[FD00:EC2:0:0:0:0:0:254]:80',
      '[fe80::1]',
      'http://[febf:ffff::1]',
      'https://[::ffff:169.254.169.254]',
      '[::ffff:a9fe:a9fe]:443',
      'http://[::169.254.169.254]',
      'http://[64:ff9b::169.254.169.254]',
    ];
    for (const input of spellings) {
      it(`refuses ${JSON.stringify(input)}`, () => {
        assert.throws(
          () => parseRegistry(input),
          (e: unknown) => e instanceof InvalidInputError && e.part === 'registry' && /link-local or cloud metadata/.test(e.message),
        );
      });
    }

    it('keeps neighbours of those ranges, and a bare number as an ACR name', () => {
      assert.equal(parseRegistry('http://169.253.255.255').loginServer, '169.253.255.255');
      assert.equal(parseRegistry('http://[fec0::1]').loginServer, '[fec0::1]');
      assert.equal(parseRegistry('http://[fd00:ec2::253]').loginServer, '[fd00:ec2::253]');
      assert.equal(parseRegistry('https://[::ffff:10.0.0.1]').loginServer, '[::ffff:a00:1]');
      assert.equal(parseRegistry('2852039166').loginServer, '2852039166.azurecr.io');
    });
  });
});
