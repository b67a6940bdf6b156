/**
 * Converts one layer: streams the source blob from the registry (paced), gunzips it when it
 * is gzip, prefixes the overlaybd-like header and streams the result back as a new blob.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Descriptor } from '../../src/core/models';
import { UpstreamError, type UpstreamClient } from '../upstream/upstreamClient';
import { ConversionFailure } from './conversionFailure';
import type { ConversionSpeed } from './conversionSpeed';
import { overlaybdHeader } from './overlaybdHeader';
import { throttle } from './throttle';

export const STREAMING_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';
/** Annotation naming the source layer of a converted layer. */
export const SOURCE_DIGEST_ANNOTATION = 'streaming.source.digest';

export interface LayerConversionDeps {
  upstream: UpstreamClient;
  speed: ConversionSpeed;
}

/** Yields `source` decompressed when it starts with the gzip magic, unchanged otherwise. */
async function* gunzipIfGzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) {
    return;
  }
  const head = first.value;
  async function* whole(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  }
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* whole();
    return;
  }
  const gunzip = pipeline(Readable.from(whole()), createGunzip(), () => undefined);
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    yield chunk;
  }
}

export async function convertLayer(
  deps: LayerConversionDeps,
  repository: string,
  layer: Descriptor,
  signal: AbortSignal,
  onBytes: (count: number) => void,
): Promise<Descriptor> {
  let blob;
  try {
    blob = await deps.upstream.getBlob(repository, layer.digest, signal);
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404) {
      throw new ConversionFailure('RESOURCE_NOT_FOUND', `The layer ${layer.digest} of ${repository} was not found.`);
    }
    throw error;
  }
  // An abort errors the response stream even before it is read: its errors surface through
  // the iteration below, and must not also be "unhandled" on the stream itself.
  blob.stream.on('error', () => undefined);
  const header = overlaybdHeader(layer);
  const content = gunzipIfGzip(throttle(blob.stream, deps.speed, signal, onBytes));
  async function* derived(): AsyncGenerator<Buffer> {
    yield header;
    yield* content;
  }
  try {
    const uploaded = await deps.upstream.uploadBlobStream(repository, derived(), signal);
    return {
      mediaType: STREAMING_LAYER_MEDIA_TYPE,
      digest: uploaded.digest,
      size: uploaded.size,
      annotations: { [SOURCE_DIGEST_ANNOTATION]: layer.digest },
    };
  } finally {
    blob.stream.destroy();
  }
}
