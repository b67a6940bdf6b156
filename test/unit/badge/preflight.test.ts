import * as assert from 'node:assert/strict';
import { assertConvertible, findUnsupportedReason, linuxAmd64Children } from '../../../src/core/badge';
import { AcrStreamingError, CONVERSION_FAILURE_HINTS } from '../../../src/core/errors';
import { MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../../../src/core/mediaTypes';
import { digestOf, dockerManifest, imageManifest, indexManifest, LINUX_AMD64, LINUX_ARM64, LINUX_ARM_V7, WINDOWS_AMD64 } from '../support/fixtures';

describe('findUnsupportedReason (pre-flight)', () => {
  it('accepts the four convertible media types when the platform is linux/amd64', () => {
    assert.equal(findUnsupportedReason(imageManifest('oci')), undefined);
    assert.equal(findUnsupportedReason(dockerManifest('docker')), undefined);
    assert.equal(findUnsupportedReason(indexManifest('oci-index', [{ label: 'a', platform: LINUX_AMD64 }])), undefined);
    assert.equal(
      findUnsupportedReason(indexManifest('list', [{ label: 'b', platform: LINUX_AMD64 }], { mediaType: MEDIA_TYPES.dockerManifestList })),
      undefined,
    );
  });

  it('accepts an amd64 variant and an image whose platform is not known', () => {
    assert.equal(findUnsupportedReason(imageManifest('v3', { platform: { os: 'linux', architecture: 'amd64', variant: 'v3' } })), undefined);
    assert.equal(findUnsupportedReason(imageManifest('unknown', { platform: undefined })), undefined);
  });

  it('refuses other media types with UNSUPPORTED_MEDIATYPE', () => {
    const finding = findUnsupportedReason(imageManifest('v1', { mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws' }));
    assert.equal(finding?.reason, 'media-type');
    assert.equal(finding?.code, 'UNSUPPORTED_MEDIATYPE');
    assert.match(finding?.message ?? '', /manifest\.v1\+prettyjws/);
  });

  it('refuses a non-amd64 or non-linux image with UNSUPPORTED_PLATFORM and names its platform', () => {
    const arm = findUnsupportedReason(imageManifest('arm', { platform: LINUX_ARM64 }));
    assert.deepEqual({ reason: arm?.reason, code: arm?.code, platforms: arm?.platforms }, {
      reason: 'platform',
      code: 'UNSUPPORTED_PLATFORM',
      platforms: ['linux/arm64'],
    });
    assert.equal(findUnsupportedReason(imageManifest('win', { platform: WINDOWS_AMD64 }))?.code, 'UNSUPPORTED_PLATFORM');
  });

  it('refuses an index without a linux/amd64 entry with NO_SUPPORTED_PLATFORM_FOUND, ignoring attestation entries', () => {
    const index = indexManifest('multi', [
      { label: 'arm64', platform: LINUX_ARM64 },
      { label: 'armv7', platform: LINUX_ARM_V7 },
      { label: 'attestation', platform: { os: 'unknown', architecture: 'unknown' } },
    ]);
    const finding = findUnsupportedReason(index);
    assert.equal(finding?.reason, 'platform');
    assert.equal(finding?.code, 'NO_SUPPORTED_PLATFORM_FOUND');
    assert.deepEqual(finding?.platforms, ['linux/arm64', 'linux/arm/v7']);
    assert.match(finding?.message ?? '', /no linux\/amd64 entry/);
  });

  it('refuses an empty index', () => {
    assert.equal(findUnsupportedReason(indexManifest('empty', []))?.code, 'NO_SUPPORTED_PLATFORM_FOUND');
    assert.equal(findUnsupportedReason(indexManifest('none', [], { manifests: undefined }))?.code, 'NO_SUPPORTED_PLATFORM_FOUND');
  });

  it('accepts an index that has a linux/amd64 entry among others', () => {
    const index = indexManifest('mixed', [
      { label: 'arm64', platform: LINUX_ARM64 },
      { label: 'amd64', platform: LINUX_AMD64 },
    ]);
    assert.equal(findUnsupportedReason(index), undefined);
    assert.deepEqual(linuxAmd64Children(index).map((d) => d.digest), [digestOf('amd64')]);
  });

  it('reports a streaming artifact as such, not as non-runnable, although it has a subject', () => {
    const artifact = imageManifest('artifact', {
      artifactType: STREAMING_ARTIFACT_TYPE,
      configMediaType: MEDIA_TYPES.ociEmptyConfig,
      subject: { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf('source'), size: 1 },
    });
    const finding = findUnsupportedReason(artifact);
    assert.equal(finding?.reason, 'streaming-artifact');
    assert.equal(finding?.code, 'UNSUPPORTED_ARTIFACT_TYPE');
  });

  it('refuses manifests with a subject (signatures, SBOMs) as IMAGE_NOT_RUNNABLE', () => {
    const signature = imageManifest('sig', { subject: { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf('source'), size: 1 } });
    assert.equal(findUnsupportedReason(signature)?.reason, 'non-runnable');
    assert.equal(findUnsupportedReason(signature)?.code, 'IMAGE_NOT_RUNNABLE');
  });

  it('refuses image manifests whose config is not an image config', () => {
    const sbom = imageManifest('sbom', { configMediaType: 'application/vnd.example.sbom.config+json' });
    assert.equal(findUnsupportedReason(sbom)?.code, 'IMAGE_NOT_RUNNABLE');
    assert.equal(findUnsupportedReason(imageManifest('empty-config', { configMediaType: MEDIA_TYPES.ociEmptyConfig }))?.code, 'IMAGE_NOT_RUNNABLE');
    // Only the artifact type known: it stands in for the config type.
    assert.equal(findUnsupportedReason(imageManifest('typed', { configMediaType: undefined, artifactType: 'application/spdx+json' }))?.code, 'IMAGE_NOT_RUNNABLE');
  });

  it('checks runnability before platform, so an arm64 signature is reported as not runnable', () => {
    const signature = imageManifest('sig-arm', { platform: LINUX_ARM64, configMediaType: 'application/vnd.cncf.notary.signature' });
    assert.equal(findUnsupportedReason(signature)?.reason, 'non-runnable');
  });

  it('keeps server text in messages on one bounded line', () => {
    const finding = findUnsupportedReason(imageManifest('weird', { mediaType: `text/evil\n\u0007${'x'.repeat(500)}` }));
    assert.ok(finding);
    assert.ok(![...finding.message].some((c) => c.charCodeAt(0) < 0x20), finding.message);
    assert.ok(finding.message.length < 200, finding.message);
  });
});

describe('assertConvertible', () => {
  it('passes a convertible image', () => {
    assert.doesNotThrow(() => assertConvertible(imageManifest('ok')));
  });

  for (const [label, manifest, code] of [
    ['arm64 image', imageManifest('arm', { platform: LINUX_ARM64 }), 'UNSUPPORTED_PLATFORM'],
    ['arm-only index', indexManifest('idx', [{ label: 'arm', platform: LINUX_ARM64 }]), 'NO_SUPPORTED_PLATFORM_FOUND'],
    ['schema 1 manifest', imageManifest('v1', { mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }), 'UNSUPPORTED_MEDIATYPE'],
    ['streaming artifact', imageManifest('sa', { artifactType: STREAMING_ARTIFACT_TYPE }), 'UNSUPPORTED_ARTIFACT_TYPE'],
    ['signature', imageManifest('sig', { configMediaType: 'application/vnd.cncf.notary.signature' }), 'IMAGE_NOT_RUNNABLE'],
  ] as const) {
    it(`throws ${code} with ACR's hint for a ${label}`, () => {
      assert.throws(
        () => assertConvertible(manifest),
        (error: unknown) => {
          assert.ok(error instanceof AcrStreamingError);
          assert.equal(error.code, code);
          assert.equal(error.hint, CONVERSION_FAILURE_HINTS[code]);
          assert.ok(error.message.includes(manifest.digest));
          return true;
        },
      );
    });
  }
});
