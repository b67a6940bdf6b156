/**
 * The emulator's own calls to the docker-registry underneath (no auth there): blob streams,
 * streaming blob uploads, manifest pushes and deletes.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UploadedBlob {
  digest: string;
  size: number;
}

export class UpstreamClient {
  constructor(readonly baseUrl: string) {}

  private url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  /** The blob's bytes as a stream; throws `UpstreamError` 404 when it is gone. */
  async getBlob(repository: string, digest: string, signal?: AbortSignal): Promise<{ stream: Readable; size?: number }> {
    const response = await fetch(this.url(`/v2/${repository}/blobs/${digest}`), { signal });
    if (!response.ok || !response.body) {
      await response.arrayBuffer().catch(() => undefined);
      throw new UpstreamError(`GET blob ${digest} answered ${response.status}`, response.status);
    }
    const length = Number(response.headers.get('content-length'));
    return {
      stream: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
      size: Number.isFinite(length) ? length : undefined,
    };
  }

  /** Uploads `chunks` as one blob, streaming (chunked PATCH), and returns its digest. */
  async uploadBlobStream(repository: string, chunks: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<UploadedBlob> {
    const location = await this.startUpload(repository, signal);
    const hash = createHash('sha256');
    let size = 0;
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }
    try {
      const patch = await fetch(location, {
        method: 'PATCH',
        body: hashed() as unknown as BodyInit,
        duplex: 'half',
        headers: { 'Content-Type': 'application/octet-stream' },
        signal,
      } as RequestInit);
      await patch.arrayBuffer();
      if (patch.status !== 202) {
        throw new UpstreamError(`PATCH upload answered ${patch.status}`, patch.status);
      }
      const digest = `sha256:${hash.digest('hex')}`;
      await this.finishUpload(this.url(patch.headers.get('location') ?? location), digest, undefined, signal);
      return { digest, size };
    } catch (error) {
      // Leave no half-written upload behind.
      await fetch(location, { method: 'DELETE' }).then((r) => r.arrayBuffer()).catch(() => undefined);
      throw error;
    }
  }

  async uploadBlob(repository: string, data: Buffer, signal?: AbortSignal): Promise<UploadedBlob> {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const head = await fetch(this.url(`/v2/${repository}/blobs/${digest}`), { method: 'HEAD', signal });
    if (head.status === 200) {
      return { digest, size: data.length };
    }
    const location = await this.startUpload(repository, signal);
    await this.finishUpload(location, digest, data, signal);
    return { digest, size: data.length };
  }

  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string, signal?: AbortSignal): Promise<string> {
    const response = await fetch(this.url(`/v2/${repository}/manifests/${reference}`), {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: { 'Content-Type': mediaType },
      signal,
    });
    const text = await response.text();
    if (response.status !== 201) {
      throw new UpstreamError(`PUT manifest ${reference} answered ${response.status}: ${text.slice(0, 300)}`, response.status);
    }
    return response.headers.get('docker-content-digest') ?? '';
  }

  /** Deletes a manifest by digest; a manifest already gone is fine. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const response = await fetch(this.url(`/v2/${repository}/manifests/${digest}`), { method: 'DELETE' });
    await response.arrayBuffer();
    if (response.status !== 202 && response.status !== 404) {
      throw new UpstreamError(`DELETE manifest ${digest} answered ${response.status}`, response.status);
    }
    return response.status === 202;
  }

  private async startUpload(repository: string, signal?: AbortSignal): Promise<string> {
    const response = await fetch(this.url(`/v2/${repository}/blobs/uploads/`), { method: 'POST', signal });
    await response.arrayBuffer();
    const location = response.headers.get('location');
    if (response.status !== 202 || !location) {
      throw new UpstreamError(`POST upload answered ${response.status}`, response.status);
    }
    return this.url(location);
  }

  private async finishUpload(location: string, digest: string, data: Buffer | undefined, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const response = await fetch(url, {
      method: 'PUT',
      body: new Uint8Array(data ?? Buffer.alloc(0)),
      headers: { 'Content-Type': 'application/octet-stream' },
      signal,
    });
    const text = await response.text();
    if (response.status !== 201) {
      throw new UpstreamError(`PUT upload answered ${response.status}: ${text.slice(0, 300)}`, response.status);
    }
  }
}
