import * as assert from 'node:assert/strict';
import { CONVERSION_FAILURE_HINTS } from '../../../src/core/errors';
import { LIMITS, parseHostMessage } from '../../../src/panel/protocol';
import {
  describeError,
  errorHintFor,
  toIsoTime,
  toOperationView,
  toOperationViews,
  toReferrerView,
  toReferrerViews,
  ANNOTATION_BUDGET,
  SHORT_ANNOTATION,
  UNKNOWN_FAILURE_HINT,
  UNKNOWN_OPERATION_HINT,
} from '../../../src/panel/viewModels';
import { DIGEST, HOSTILE, streamingDescriptor, STREAMING_DIGEST, tracked } from './fixtures';

describe('panel view models: operations', () => {
  it('maps a running operation field by field', () => {
    assert.deepEqual(toOperationView(tracked()), {
      key: `myreg.azurecr.io/samples/hello@${DIGEST}`,
      loginServer: 'myreg.azurecr.io',
      repository: 'samples/hello',
      image: 'samples/hello:1.0',
      digest: DIGEST,
      status: 'Running',
      progress: 40,
      startTime: '2025-04-28T03:54:17.000Z',
      updatedAt: '2025-04-28T03:55:17.000Z',
      details: 'Conversion started for resource samples/hello@sha256:aaaa',
      errorCode: undefined,
      errorHint: undefined,
      lastError: undefined,
    });
  });

  it('explains each documented conversion failure code with the core hint', () => {
    for (const code of Object.keys(CONVERSION_FAILURE_HINTS) as Array<keyof typeof CONVERSION_FAILURE_HINTS>) {
      const view = toOperationView(tracked({ status: 'Failed', errorCode: code }));
      assert.equal(view.errorCode, code);
      assert.equal(view.errorHint, CONVERSION_FAILURE_HINTS[code]);
    }
  });

  it('gives a generic hint to a failure without a known code, and none to a cancel', () => {
    assert.equal(toOperationView(tracked({ status: 'Failed' })).errorHint, UNKNOWN_FAILURE_HINT);
    assert.equal(toOperationView(tracked({ status: 'Failed', errorCode: 'SOMETHING_NEW' })).errorHint, UNKNOWN_FAILURE_HINT);
    assert.equal(toOperationView(tracked({ status: 'Canceled' })).errorHint, undefined);
    assert.equal(errorHintFor('Running', undefined), undefined);
  });

  it('says an unknown operation is unknown, and how to look again; the page accepts the status', () => {
    const view = toOperationView(tracked({ status: 'Unknown', lastError: { code: 'NOT_FOUND', message: 'The operation does not exist.' } }));
    assert.equal(view.status, 'Unknown');
    assert.equal(view.errorHint, UNKNOWN_OPERATION_HINT);
    assert.match(UNKNOWN_OPERATION_HINT, /^Unknown: the registry no longer knows this operation\. .*Show Operation/);
    assert.ok(parseHostMessage({ type: 'operations', operations: [view] }), 'the protocol check lets the new status through');
  });

  it('says what the last polling error was, with its code', () => {
    const view = toOperationView(tracked({ lastError: { code: 'NETWORK', message: 'Could not reach the registry.' } }));
    assert.equal(view.lastError, 'Could not reach the registry. (NETWORK)');
    assert.equal(describeError('plain'), 'plain');
    assert.equal(describeError(new Error('boom')), 'boom');
    assert.equal(describeError(undefined), undefined);
  });

  it('names an image without a tag by repository and short digest', () => {
    assert.equal(toOperationView(tracked({ image: undefined })).image, `samples/hello@sha256:${'a'.repeat(12)}`);
    assert.equal(toOperationView(tracked({ image: undefined, digest: undefined })).image, 'samples/hello');
  });

  it('falls back to the tracking time when ACR gave no start time', () => {
    assert.equal(toOperationView(tracked({ startTime: undefined })).startTime, '2025-04-28T03:54:10.000Z');
    assert.equal(toOperationView(tracked({ startTime: 'garbage' })).startTime, '2025-04-28T03:54:10.000Z');
  });

  it('clamps progress and drops an invalid digest', () => {
    assert.equal(toOperationView(tracked({ progress: 140 })).progress, 100);
    assert.equal(toOperationView(tracked({ progress: Number.NaN })).progress, 0);
    assert.equal(toOperationView(tracked({ digest: 'sha256:nothex' })).digest, undefined);
  });

  it('truncates oversized server text so the message still validates', () => {
    const view = toOperationView(tracked({ details: 'd'.repeat(LIMITS.longText * 2), errorCode: 'E'.repeat(LIMITS.shortText * 2), status: 'Failed' }));
    assert.equal(view.details?.length, LIMITS.longText);
    assert.ok(view.details?.endsWith('…'));
    assert.ok(parseHostMessage({ type: 'operations', operations: [view] }));
  });

  it('orders newest first, leaves out what the protocol would reject, and caps the count', () => {
    const views = toOperationViews([
      tracked({ key: 'old', trackedAt: 1000 }),
      tracked({ key: 'new', trackedAt: 3000 }),
      tracked({ key: 'bad-repo', repository: 'Not Valid', trackedAt: 4000 }),
      tracked({ key: 'bad-host', loginServer: 'a/b', trackedAt: 5000 }),
      tracked({ key: 'mid', trackedAt: 2000 }),
    ]);
    assert.deepEqual(views.map((v) => v.key), ['new', 'mid', 'old']);
    const many = Array.from({ length: LIMITS.operations + 20 }, (_, i) => tracked({ key: `k${i}`, trackedAt: i }));
    const capped = toOperationViews(many);
    assert.equal(capped.length, LIMITS.operations);
    assert.equal(capped[0]?.key, `k${LIMITS.operations + 19}`);
    assert.ok(parseHostMessage({ type: 'operations', operations: capped }));
  });

  it('reads times given as epoch ms or ISO text', () => {
    assert.equal(toIsoTime(0), '1970-01-01T00:00:00.000Z');
    assert.equal(toIsoTime('2025-04-28T03:54:17Z'), '2025-04-28T03:54:17.000Z');
    assert.equal(toIsoTime('soon'), undefined);
    assert.equal(toIsoTime(undefined), undefined);
  });
});

describe('panel view models: referrers', () => {
  it('maps a streaming artifact and takes created from its annotation', () => {
    assert.deepEqual(toReferrerView(streamingDescriptor()), {
      artifactType: 'application/vnd.azure.artifact.streaming.v1',
      digest: STREAMING_DIGEST,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1536,
      created: '2025-04-28T04:00:00Z',
      annotations: {
        'org.opencontainers.image.created': '2025-04-28T04:00:00Z',
        'streaming.format': 'overlaybd',
        'streaming.version': 'v1',
      },
    });
  });

  it('leaves created and artifact type out when the descriptor has none', () => {
    const view = toReferrerView({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: STREAMING_DIGEST, size: 10 });
    assert.equal(view.created, undefined);
    assert.equal(view.artifactType, undefined);
    assert.deepEqual(view.annotations, {});
  });

  it('keeps hostile annotations as text, bounded, and a __proto__ key as a plain entry', () => {
    const annotations: Record<string, string> = JSON.parse(`{"__proto__":"x","evil":${JSON.stringify(HOSTILE)},"big":${JSON.stringify('v'.repeat(LIMITS.longText + 10))}}`);
    for (let i = 0; i < LIMITS.annotationsPerReferrer + 10; i++) {
      annotations[`k${String(i).padStart(3, '0')}`] = 'v';
    }
    const view = toReferrerView(streamingDescriptor({ annotations }));
    assert.equal(Object.keys(view.annotations).length, LIMITS.annotationsPerReferrer);
    assert.equal(Object.getPrototypeOf(view.annotations), Object.prototype);
    assert.equal(Object.prototype.hasOwnProperty.call(view.annotations, '__proto__'), true);
    assert.equal(view.annotations.evil, HOSTILE);
    assert.equal(view.annotations.big?.length, LIMITS.longText);
    assert.ok(parseHostMessage({ type: 'referrers', request: { loginServer: 'r.io', repository: 'a', digest: DIGEST }, status: 'loaded', referrers: [view] }));
  });

  it('drops referrers with invalid digests and caps the list', () => {
    const views = toReferrerViews([streamingDescriptor(), streamingDescriptor({ digest: 'md5:abc!' }), ...Array.from({ length: LIMITS.referrers + 5 }, () => streamingDescriptor())]);
    assert.equal(views.length, LIMITS.referrers);
    assert.ok(views.every((v) => v.digest === STREAMING_DIGEST));
  });

  it('cuts annotation values short once a message has carried its budget of them', () => {
    const big = Object.fromEntries(Array.from({ length: LIMITS.annotationsPerReferrer }, (_, i) => [`k${i}`, 'v'.repeat(LIMITS.longText)]));
    const views = toReferrerViews(Array.from({ length: LIMITS.referrers }, () => streamingDescriptor({ annotations: big })));
    const total = views.reduce((sum, v) => sum + Object.values(v.annotations).reduce((n, value) => n + value.length, 0), 0);
    assert.ok(total < ANNOTATION_BUDGET + LIMITS.annotationsPerReferrer * LIMITS.longText + LIMITS.referrers * LIMITS.annotationsPerReferrer * SHORT_ANNOTATION);
    assert.equal(views[0]?.annotations.k0?.length, LIMITS.longText);
    assert.equal(views.at(-1)?.annotations.k0?.length, SHORT_ANNOTATION);
  });
});
