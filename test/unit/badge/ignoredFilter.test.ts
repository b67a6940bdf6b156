import * as assert from 'node:assert/strict';
import { listStreamingReferrers } from '../../../src/core/badge/loadBadge';
import { STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { FakeStreaming } from '../support/fakeStreaming';
import { imageManifest, signatureDescriptor, streamingDescriptor } from '../support/fixtures';

describe('FakeStreaming over a registry that ignores ?artifactType=', () => {
  it('the badge logic still counts only streaming artifacts', async () => {
    const streaming = new FakeStreaming('myreg.azurecr.io');
    const manifest = imageManifest('img');
    streaming.addReferrer('samples/hello', manifest.digest, signatureDescriptor('sig'));
    streaming.addReferrer('samples/hello', manifest.digest, streamingDescriptor('stream'));
    streaming.ignoreArtifactTypeFilter = true;
    assert.equal((await streaming.listReferrers('samples/hello', manifest.digest, { artifactType: STREAMING_ARTIFACT_TYPE })).length, 2, 'the fake really ignores the filter');
    const found = await listStreamingReferrers(streaming, 'samples/hello', manifest);
    assert.deepEqual(found.map((d) => d.digest), [streamingDescriptor('stream').digest]);
  });
});
