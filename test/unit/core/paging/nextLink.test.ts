import * as assert from 'node:assert/strict';
import { checkedLink, isPagingError, linkTarget, nextLink, normalizeCursor, type LinkScope } from '../../../../src/core/paging';

const scope: LinkScope = { host: 'myreg.azurecr.io', what: 'the tags of samples/hello', origin: 'https://myreg.azurecr.io', path: '/acr/v1/samples/hello/_tags' };
const reply = (link?: string) => ({ status: 200, bodyText: '', headers: { get: (name: string) => (name === 'link' ? link : undefined) } });

describe('paging: next links', () => {
  it('reads the rel="next" entry, also among other entries and unquoted', () => {
    assert.equal(linkTarget('</a?last=x>; rel="next"'), '/a?last=x');
    assert.equal(linkTarget('</first>; rel="first", </a?last=y>; rel=next'), '/a?last=y');
    assert.equal(linkTarget('</a?last=z>; title="x"; rel="prev next"'), '/a?last=z');
    assert.equal(linkTarget('</a?last=x>; rel="prev"'), undefined);
    assert.equal(linkTarget(undefined), undefined);
  });

  it('keeps a relative or same-origin absolute link on the listing, as path and query', () => {
    assert.equal(nextLink(reply('</acr/v1/samples/hello/_tags?last=b&n=2>; rel="next"'), scope), '/acr/v1/samples/hello/_tags?last=b&n=2');
    assert.equal(nextLink(reply('<https://MyReg.azurecr.io/acr/v1/samples/hello/_tags?last=b>; rel="next"'), scope), '/acr/v1/samples/hello/_tags?last=b');
    assert.equal(nextLink(reply(undefined), scope), undefined);
  });

  it('refuses a link to another origin, naming the registry and the listing', () => {
    for (const target of ['https://elsewhere.example/acr/v1/samples/hello/_tags?last=b', '//elsewhere.example/acr/v1/samples/hello/_tags', 'http://myreg.azurecr.io/acr/v1/samples/hello/_tags?last=b']) {
      assert.throws(
        () => nextLink(reply(`<${target}>; rel="next"`), scope),
        (e: unknown) => isPagingError(e) && e.code === 'INVALID_RESPONSE' && e.fault === 'foreign-link' && /^myreg\.azurecr\.io sent a paging link that leaves the tags of samples\/hello/.test(e.message),
        target,
      );
    }
  });

  it('refuses a link to another path, even one that only starts like the listing', () => {
    for (const target of ['/acr/v1/other/_tags?last=b', '/acr/v1/samples/hello/_tags/../../other/_tags?last=b', '/acr/v1/samples/hello/_tagsx?last=b', '/v2/_catalog']) {
      assert.throws(() => checkedLink(target, scope), (e: unknown) => isPagingError(e) && e.fault === 'foreign-link', target);
    }
  });

  it('compares Azure Resource Manager paths without case', () => {
    const arm: LinkScope = { host: 'management.azure.com', what: 'x', origin: 'https://management.azure.com', path: '/subscriptions/s/providers/Microsoft.ContainerRegistry/registries', caseInsensitive: true };
    assert.equal(checkedLink('https://management.azure.com/subscriptions/s/providers/microsoft.containerregistry/registries?$skipToken=1', arm).search, '?$skipToken=1');
  });

  it('spells one page one way: query order, encoding and relative or absolute do not matter', () => {
    const base = 'https://myreg.azurecr.io';
    assert.equal(normalizeCursor('/a/_tags?n=2&last=b', base), normalizeCursor('https://myreg.azurecr.io/a/_tags?last=b&n=2', base));
    assert.equal(normalizeCursor('/v2/a/referrers/sha256%3Aab', base), normalizeCursor('/v2/a/referrers/sha256:ab', base));
    assert.notEqual(normalizeCursor('/a/_tags?last=b', base), normalizeCursor('/a/_tags?last=c', base));
    assert.equal(normalizeCursor('v1.0'), normalizeCursor('v1.0'));
  });
});
