/** Sample data for the panel tests. */
import type { Descriptor } from '../../../src/core/models';
import type { TrackedOperation } from '../../../src/panel/panelDataSource';
import type { OperationView, ReferrersRequest } from '../../../src/panel/protocol';

export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
export const STREAMING_DIGEST = `sha256:${'c'.repeat(64)}`;
/** Markup that must only ever show up as text. */
export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

export function tracked(overrides: Partial<TrackedOperation> = {}): TrackedOperation {
  return {
    key: `myreg.azurecr.io/samples/hello@${DIGEST}`,
    loginServer: 'myreg.azurecr.io',
    repository: 'samples/hello',
    operationId: '7dfcc117-d980-4c19-8817-3171e14186ca',
    digest: DIGEST,
    image: 'samples/hello:1.0',
    status: 'Running',
    progress: 40,
    startTime: '2025-04-28T03:54:17Z',
    details: 'Conversion started for resource samples/hello@sha256:aaaa',
    trackedAt: Date.parse('2025-04-28T03:54:10Z'),
    updatedAt: Date.parse('2025-04-28T03:55:17Z'),
    ...overrides,
  };
}

export function operationView(overrides: Partial<OperationView> = {}): OperationView {
  return {
    key: `myreg.azurecr.io/samples/hello@${DIGEST}`,
    loginServer: 'myreg.azurecr.io',
    repository: 'samples/hello',
    image: 'samples/hello:1.0',
    digest: DIGEST,
    status: 'Running',
    progress: 40,
    startTime: '2025-04-28T03:54:17.000Z',
    updatedAt: '2025-04-28T03:55:17.000Z',
    ...overrides,
  };
}

export const REQUEST: ReferrersRequest = { loginServer: 'myreg.azurecr.io', repository: 'samples/hello', digest: DIGEST, image: 'samples/hello:1.0' };

export function streamingDescriptor(overrides: Partial<Descriptor> = {}): Descriptor {
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: STREAMING_DIGEST,
    size: 1536,
    artifactType: 'application/vnd.azure.artifact.streaming.v1',
    annotations: {
      'streaming.format': 'overlaybd',
      'streaming.version': 'v1',
      'org.opencontainers.image.created': '2025-04-28T04:00:00Z',
    },
    ...overrides,
  };
}
