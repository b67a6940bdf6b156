/** One conversion, start to finish: every layer, the config, then the artifact manifest. */
import { createHash } from 'node:crypto';
import { MEDIA_TYPES } from '../../src/core/mediaTypes';
import type { Descriptor } from '../../src/core/models';
import { convertLayer, type LayerConversionDeps } from './layerConverter';
import type { ConversionSource } from './precheck';
import { buildArtifactConfig, buildArtifactManifest } from './streamingArtifact';

export interface ConversionJobDeps extends LayerConversionDeps {
  /** Called once the artifact manifest is in the registry (index it, update the fallback tag). */
  afterArtifactPushed(repository: string, artifactDigest: string, subjectDigest: string): Promise<void>;
}

export async function runConversion(
  deps: ConversionJobDeps,
  repository: string,
  source: ConversionSource,
  signal: AbortSignal,
  reportProgress: (percent: number) => void,
): Promise<string> {
  const total = source.image.layers.reduce((sum, layer) => sum + layer.size, 0);
  let processed = 0;
  reportProgress(0);
  const onBytes = (count: number) => {
    processed += count;
    // 100% is for when the artifact exists.
    reportProgress(total > 0 ? Math.min(99, Math.floor((processed / total) * 100)) : 0);
  };
  const layers: Descriptor[] = [];
  for (const layer of source.image.layers) {
    signal.throwIfAborted();
    layers.push(await convertLayer(deps, repository, layer, signal, onBytes));
  }
  signal.throwIfAborted();
  const configBytes = buildArtifactConfig(source.config, layers);
  const config = await deps.upstream.uploadBlob(repository, configBytes, signal);
  const manifest = buildArtifactManifest({ mediaType: MEDIA_TYPES.ociImageConfig, ...config }, layers, source.subject);
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  signal.throwIfAborted();
  await deps.upstream.putManifest(repository, digest, manifest, MEDIA_TYPES.ociManifest, signal);
  await deps.afterArtifactPushed(repository, digest, source.subject.digest);
  return digest;
}
