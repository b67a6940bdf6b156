/** The JSON of ACR's metadata API (what `@azure/container-registry` 1.1.2 deserialises). */
import type { ManifestRecord, RepositorySnapshot, TagRecord } from '../registry/metadataCache';

export const CHANGEABLE_ATTRIBUTES = { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true } as const;

export function repositoryView(loginServer: string, snapshot: RepositorySnapshot): Record<string, unknown> {
  return {
    registry: loginServer,
    imageName: snapshot.name,
    createdTime: snapshot.createdTime,
    lastUpdateTime: snapshot.lastUpdateTime,
    manifestCount: snapshot.manifests.length,
    tagCount: snapshot.tags.length,
    changeableAttributes: { ...CHANGEABLE_ATTRIBUTES, teleportEnabled: false },
  };
}

export function tagView(tag: TagRecord): Record<string, unknown> {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: tag.createdTime,
    lastUpdateTime: tag.lastUpdateTime,
    signed: false,
    changeableAttributes: { ...CHANGEABLE_ATTRIBUTES },
  };
}

export function manifestView(manifest: ManifestRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    digest: manifest.info.digest,
    imageSize: manifest.imageSize,
    createdTime: manifest.createdTime,
    lastUpdateTime: manifest.lastUpdateTime,
  };
  if (manifest.platform?.architecture) {
    view.architecture = manifest.platform.architecture;
  }
  if (manifest.platform?.os) {
    view.os = manifest.platform.os;
  }
  view.mediaType = manifest.info.mediaType;
  if (manifest.info.config) {
    view.configMediaType = manifest.info.config.mediaType;
  }
  if (manifest.info.artifactType) {
    view.artifactType = manifest.info.artifactType;
  }
  view.tags = manifest.tags;
  if (manifest.references) {
    view.references = manifest.references;
  }
  view.changeableAttributes = { ...CHANGEABLE_ATTRIBUTES, quarantineState: 'Passed' };
  return view;
}
