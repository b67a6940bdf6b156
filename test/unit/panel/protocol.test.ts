import * as assert from 'node:assert/strict';
import {
  LIMITS,
  parseHostMessage,
  parsePanelState,
  parseReferrersRequest,
  parseWebviewMessage,
  sameReferrersRequest,
  type HostMessage,
  type WebviewMessage,
} from '../../../src/panel/protocol';
import { DIGEST, HOSTILE, operationView, REQUEST, STREAMING_DIGEST } from './fixtures';

const referrer = {
  artifactType: 'application/vnd.azure.artifact.streaming.v1',
  digest: STREAMING_DIGEST,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 1536,
  created: '2025-04-28T04:00:00Z',
  annotations: { 'streaming.format': 'overlaybd', note: HOSTILE },
};

describe('panel protocol: host → webview', () => {
  const good: HostMessage[] = [
    { type: 'init', state: { operations: [] } },
    { type: 'init', state: { operations: [operationView()], referrers: { request: REQUEST, status: 'loading' }, tab: 'referrers' } },
    { type: 'operations', operations: [operationView(), operationView({ key: 'k2', status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM', errorHint: 'Only linux/amd64', digest: undefined })] },
    { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [referrer] },
    { type: 'referrers', reveal: true, request: REQUEST, status: 'loading' },
    { type: 'referrers', request: REQUEST, status: 'error', error: { code: 'UNAUTHORIZED', message: 'Sign in again.' } },
    { type: 'reply', requestId: 'r1', ok: true },
    { type: 'reply', requestId: 'r2', ok: false, error: { code: 'NETWORK', message: 'down' } },
  ];
  for (const message of good) {
    it(`accepts ${message.type} ${JSON.stringify(message).slice(0, 60)}…`, () => {
      assert.deepEqual(parseHostMessage(message), message);
    });
  }

  it('keeps attacker text as data (validation is not where escaping happens)', () => {
    const parsed = parseHostMessage({ type: 'referrers', request: REQUEST, status: 'loaded', referrers: [referrer] });
    assert.equal(parsed?.type === 'referrers' && parsed.referrers?.[0]?.annotations.note, HOSTILE);
  });

  const bad: Array<[string, unknown]> = [
    ['a non-object', 'init'],
    ['null', null],
    ['an unknown type', { type: 'eval', code: 'alert(1)' }],
    ['a missing type', { operations: [] }],
    ['an extra field', { type: 'operations', operations: [], html: '<b>' }],
    ['operations that are not an array', { type: 'operations', operations: 'x' }],
    ['an unknown status', { type: 'operations', operations: [{ ...operationView(), status: 'Exploded' }] }],
    ['progress over 100', { type: 'operations', operations: [operationView({ progress: 101 })] }],
    ['negative progress', { type: 'operations', operations: [operationView({ progress: -1 })] }],
    ['a bad timestamp', { type: 'operations', operations: [operationView({ updatedAt: 'yesterday' })] }],
    ['an invalid repository', { type: 'operations', operations: [operationView({ repository: 'Bad Repo' })] }],
    ['an invalid digest', { type: 'operations', operations: [operationView({ digest: 'sha256:xyz' })] }],
    ['an invalid login server', { type: 'operations', operations: [operationView({ loginServer: 'evil.com/path' })] }],
    ['oversized details', { type: 'operations', operations: [operationView({ details: 'x'.repeat(LIMITS.longText + 1) })] }],
    ['an oversized image name', { type: 'operations', operations: [operationView({ image: 'x'.repeat(LIMITS.shortText + 1) })] }],
    ['too many operations', { type: 'operations', operations: Array.from({ length: LIMITS.operations + 1 }, () => operationView()) }],
    ['too many annotations', { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [{ ...referrer, annotations: Object.fromEntries(Array.from({ length: LIMITS.annotationsPerReferrer + 1 }, (_, i) => [`k${i}`, 'v'])) }] }],
    ['a non-string annotation', { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [{ ...referrer, annotations: { a: 1 } }] }],
    ['a fractional size', { type: 'referrers', request: REQUEST, status: 'loaded', referrers: [{ ...referrer, size: 1.5 }] }],
    ['an unknown referrers status', { type: 'referrers', request: REQUEST, status: 'done' }],
    ['a request without digest', { type: 'referrers', request: { loginServer: 'r.io', repository: 'a' }, status: 'loading' }],
    ['a reply without ok', { type: 'reply', requestId: 'r1' }],
    ['a request id with odd characters', { type: 'reply', requestId: 'r1<', ok: true }],
    ['an unknown tab', { type: 'init', state: { operations: [], tab: 'settings' } }],
  ];
  for (const [what, value] of bad) {
    it(`rejects ${what}`, () => {
      assert.equal(parseHostMessage(value), undefined);
    });
  }
});

describe('panel protocol: webview → host', () => {
  const good: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'cancelOperation', requestId: 'r1', key: `myreg.azurecr.io/samples/hello@${DIGEST}` },
    { type: 'showReferrers', requestId: 'r2', ...REQUEST },
    { type: 'showReferrers', requestId: 'r3', loginServer: '127.0.0.1:5000', repository: 'hello', digest: DIGEST },
    { type: 'copy', text: DIGEST },
    { type: 'openError', key: 'k' },
  ];
  for (const message of good) {
    it(`accepts ${message.type}`, () => {
      assert.deepEqual(parseWebviewMessage(message), message);
    });
  }

  const bad: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a host message type', { type: 'init', state: { operations: [] } }],
    ['ready with extra fields', { type: 'ready', now: 1 }],
    ['cancel without a request id', { type: 'cancelOperation', key: 'k' }],
    ['cancel with an empty key', { type: 'cancelOperation', requestId: 'r1', key: '' }],
    ['cancel with an oversized key', { type: 'cancelOperation', requestId: 'r1', key: 'k'.repeat(LIMITS.shortText + 1) }],
    ['an oversized request id', { type: 'cancelOperation', requestId: 'r'.repeat(LIMITS.requestId + 1), key: 'k' }],
    ['referrers of an invalid digest', { type: 'showReferrers', requestId: 'r1', loginServer: 'r.io', repository: 'a', digest: 'latest' }],
    ['referrers of a path-traversing repository', { type: 'showReferrers', requestId: 'r1', loginServer: 'r.io', repository: '../etc', digest: DIGEST }],
    ['referrers on a URL instead of a login server', { type: 'showReferrers', requestId: 'r1', loginServer: 'https://r.io', repository: 'a', digest: DIGEST }],
    ['empty copy text', { type: 'copy', text: '' }],
    ['oversized copy text', { type: 'copy', text: 'x'.repeat(LIMITS.longText + 1) }],
    ['copy of a non-string', { type: 'copy', text: { toString: 'x' } }],
  ];
  for (const [what, value] of bad) {
    it(`rejects ${what}`, () => {
      assert.equal(parseWebviewMessage(value), undefined);
    });
  }
});

describe('panel protocol: saved state and requests', () => {
  it('reads back what the page saves and drops what is not its state', () => {
    assert.deepEqual(parsePanelState({ version: 1, tab: 'referrers', referrers: REQUEST }), { version: 1, tab: 'referrers', referrers: REQUEST });
    assert.equal(parsePanelState(undefined), undefined);
    assert.equal(parsePanelState({ version: 2, tab: 'operations' }), undefined);
    assert.equal(parsePanelState({ version: 1, tab: 'operations', referrers: { ...REQUEST, digest: 'nope' } }), undefined);
  });

  it('validates requests from outside the page and compares them by image', () => {
    assert.deepEqual(parseReferrersRequest(REQUEST), REQUEST);
    assert.equal(parseReferrersRequest({ ...REQUEST, repository: '' }), undefined);
    assert.equal(sameReferrersRequest(REQUEST, { ...REQUEST, image: 'other:tag' }), true);
    assert.equal(sameReferrersRequest(REQUEST, { ...REQUEST, digest: STREAMING_DIGEST }), false);
    assert.equal(sameReferrersRequest(REQUEST, undefined), false);
  });
});
