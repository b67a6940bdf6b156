/** Referrers across pages, from registries that page badly or ignore `?artifactType=`. */
import * as assert from 'node:assert/strict';
import { connect } from '../../../src/core/connect';
import { MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { isPagingError } from '../../../src/core/paging';
import { parseRegistry } from '../../../src/core/reference';
import { digestOf } from '../support/fixtures';
import { json, startScriptedServer, type ScriptedServer } from './support/scriptedServer';

const SUBJECT = digestOf('subject');
const PATH = `/v2/samples/hello/referrers/${SUBJECT}`;
const SIGNATURE = 'application/vnd.cncf.notary.signature';
const fast = { maxRetries: 1, retryDelayMs: 5, timeoutMs: 2000 };
const descriptor = (label: string, artifactType: string) => ({ mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(label), size: 10, artifactType });
const index = (...manifests: unknown[]) => ({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests });
const next = (target: string) => ({ link: `<${target}>; rel="next"` });

describe('referrers paging', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server.close());

  const streaming = () => connect(parseRegistry(server.baseUrl), { kind: 'anonymous' }, fast).streaming;
  const host = () => new URL(server.baseUrl).host;

  /** Three pages (the third overlaps the second); the server ignores the filter and does not say it applied one. */
  const threePages = () =>
    server.handle((req, res) => {
      const page = new URL(req.path, 'http://x').searchParams.get('page');
      if (page === '2') {
        return json(res, 200, index(descriptor('sig-2', SIGNATURE), descriptor('stream-2', STREAMING_ARTIFACT_TYPE)), next(`${PATH}?page=3`));
      }
      if (page === '3') {
        return json(res, 200, index(descriptor('stream-2', STREAMING_ARTIFACT_TYPE), descriptor('stream-3', STREAMING_ARTIFACT_TYPE)));
      }
      return json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE), descriptor('sig-1', SIGNATURE)), next(`${PATH}?page=2`));
    });

  it('reads three pages, each referrer once', async () => {
    threePages();
    const all = await streaming().listReferrers('samples/hello', SUBJECT);
    assert.deepEqual(all.map((d) => d.digest), ['stream-1', 'sig-1', 'sig-2', 'stream-2', 'stream-3'].map(digestOf));
    assert.deepEqual(server.seen.map((r) => r.path), [PATH, `${PATH}?page=2`, `${PATH}?page=3`]);
  });

  it('filters by artifact type itself on every page when the registry ignores ?artifactType=', async () => {
    threePages();
    const filtered = await streaming().listReferrers('samples/hello', SUBJECT, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.deepEqual(filtered.map((d) => d.digest), ['stream-1', 'stream-2', 'stream-3'].map(digestOf));
    assert.equal(server.seen[0].path, `${PATH}?artifactType=${encodeURIComponent(STREAMING_ARTIFACT_TYPE)}`);
  });

  it('does not trust a page that claims the filter but returns other types', async () => {
    server.handle((_req, res) => json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE), descriptor('sig-1', SIGNATURE)), { 'OCI-Filters-Applied': 'artifactType' }));
    const filtered = await streaming().listReferrers('samples/hello', SUBJECT, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.deepEqual(filtered.map((d) => d.digest), [digestOf('stream-1')]);
  });

  it('filters when a later page is gone (404) as well', async () => {
    server.handle((req, res) =>
      req.path.includes('page=2') ? json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'gone' }] }) : json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE), descriptor('sig-1', SIGNATURE)), next(`${PATH}?page=2`)),
    );
    const filtered = await streaming().listReferrers('samples/hello', SUBJECT, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.deepEqual(filtered.map((d) => d.digest), [digestOf('stream-1')]);
  });

  it('filters and de-duplicates the referrers-tag fallback', async () => {
    server.handle((req, res) => {
      if (req.path.startsWith('/v2/samples/hello/referrers/')) {
        return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no referrers API' }] });
      }
      return json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE), descriptor('sig-1', SIGNATURE), descriptor('stream-1', STREAMING_ARTIFACT_TYPE)));
    });
    const filtered = await streaming().listReferrers('samples/hello', SUBJECT, { artifactType: STREAMING_ARTIFACT_TYPE });
    assert.deepEqual(filtered.map((d) => d.digest), [digestOf('stream-1')]);
    assert.equal(server.seen[1].path, `/v2/samples/hello/manifests/${SUBJECT.replace(':', '-')}`);
  });

  it('stops with an error on a page that links back (to itself, or to the first page)', async () => {
    server.handle((req, res) => json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE)), next(req.path)));
    await assert.rejects(streaming().listReferrers('samples/hello', SUBJECT), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page' && e.message.startsWith(`${host()} repeated a page while listing the referrers of samples/hello@${SUBJECT}`));
    assert.equal(server.seen.length, 1);
    server.seen.length = 0;
    server.handle((req, res) => json(res, 200, index(descriptor(`r-${req.path}`, SIGNATURE)), next(req.path.includes('page=2') ? PATH : `${PATH}?page=2`)));
    await assert.rejects(streaming().listReferrers('samples/hello', SUBJECT), (e: unknown) => isPagingError(e) && e.fault === 'repeated-page');
    assert.equal(server.seen.length, 2);
  });

  it('refuses a link to another origin or to another digest\'s referrers', async () => {
    for (const target of [`https://elsewhere.example${PATH}?page=2`, `/v2/samples/hello/referrers/${digestOf('other')}?page=2`, `/v2/other/referrers/${SUBJECT}`]) {
      server.seen.length = 0;
      server.handle((_req, res) => json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE)), next(target)));
      await assert.rejects(streaming().listReferrers('samples/hello', SUBJECT), (e: unknown) => isPagingError(e) && e.fault === 'foreign-link' && e.message.startsWith(`${host()} sent a paging link that leaves the referrers of samples/hello@${SUBJECT}`), target);
      assert.equal(server.seen.length, 1, target);
    }
  });

  it('stops an endless listing at its page bound with an error, not a partial list', async () => {
    let n = 0;
    server.handle((_req, res) => json(res, 200, index(descriptor('stream-1', STREAMING_ARTIFACT_TYPE)), next(`${PATH}?page=${++n}`)));
    await assert.rejects(streaming().listReferrers('samples/hello', SUBJECT), (e: unknown) => isPagingError(e) && e.fault === 'too-many-pages');
    assert.equal(server.seen.length, 50);
  });
});
