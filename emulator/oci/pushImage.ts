/**
 * Pushes what `imageBuilder` built: blobs first (skipped when present), then the manifest,
 * then (for an index) the index, in the order a registry requires.
 */
import type { Descriptor } from '../../src/core/models';
import type { BuiltArtifact, BuiltBlob, BuiltImage } from './imageBuilder';
import { descriptorOf } from './imageBuilder';
import type { OciClient } from './ociClient';

/** Pushes an image's blobs and its manifest; `reference` defaults to its digest. */
export async function pushImage(client: OciClient, repo: string, image: BuiltImage, reference?: string): Promise<Descriptor> {
  await client.uploadBlob(repo, image.config.data);
  for (const layer of image.layers) {
    await client.uploadBlob(repo, layer.data);
  }
  return pushManifest(client, repo, image.manifest, reference);
}

/** Pushes each image by digest, then the index under `reference` (default: its digest). */
export async function pushIndex(client: OciClient, repo: string, images: readonly BuiltImage[], index: BuiltBlob, reference?: string): Promise<Descriptor> {
  for (const image of images) {
    await pushImage(client, repo, image);
  }
  return pushManifest(client, repo, index, reference);
}

/** Pushes an artifact's blobs and manifest; by digest unless a tag is given. */
export async function pushArtifact(client: OciClient, repo: string, artifact: BuiltArtifact, reference?: string): Promise<Descriptor> {
  await client.uploadBlob(repo, artifact.config.data);
  for (const layer of artifact.layers) {
    await client.uploadBlob(repo, layer.data);
  }
  return pushManifest(client, repo, artifact.manifest, reference);
}

/** Pushes manifest bytes exactly as built, so the registry's digest is the builder's. */
export async function pushManifest(client: OciClient, repo: string, manifest: BuiltBlob, reference?: string): Promise<Descriptor> {
  const pushed = await client.putManifest(repo, reference ?? manifest.digest, manifest.data.toString('utf8'), manifest.mediaType);
  if (pushed.digest !== manifest.digest) {
    throw new Error(`Pushed manifest digest ${pushed.digest} differs from the built ${manifest.digest}.`);
  }
  return descriptorOf(manifest);
}
