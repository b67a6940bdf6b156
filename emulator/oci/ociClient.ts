/**
 * A small OCI distribution client over `fetch`: enough to push and pull images (blobs by
 * monolithic upload, manifests by tag or digest). Used by the seed, by tests that push into
 * the emulator, and by anything else that needs raw `/v2/` access with one fixed credential.
 * Every reply is checked: status, and digests of what was sent or received.
 */
import { MANIFEST_ACCEPT } from '../../src/core/mediaTypes';
import { isDigest, sha256Digest } from './digest';

export interface OciClientOptions {
  /** Registry origin, e.g. `http://127.0.0.1:5000` (a trailing `/` is ignored). */
  baseUrl: string;
  /** Sent as is on every request to `baseUrl`'s origin, e.g. `Basic …`. Never put in errors. */
  authorization?: string;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
}

/** A registry reply that was not what the call needed. Names the call, never the credentials. */
export class OciRequestError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The registry's error code (`MANIFEST_INVALID`, `BLOB_UNKNOWN`…), when it sent one. */
  readonly registryCode?: string;

  constructor(method: string, path: string, status: number, registryCode: string | undefined, detail: string) {
    super(`${method} ${path} failed: HTTP ${status}${registryCode ? ` ${registryCode}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'OciRequestError';
    this.method = method;
    this.path = path;
    this.status = status;
    this.registryCode = registryCode;
  }
}

const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;

/** Default Accept for manifest GETs: the four manifest types (OCI artifacts are OCI manifests). */
const DEFAULT_MANIFEST_ACCEPT = MANIFEST_ACCEPT.split(', ');

export class OciClient {
  private readonly baseUrl: URL;
  private readonly authorization?: string;
  private readonly timeoutMs: number;

  constructor(options: OciClientOptions) {
    const baseUrl = new URL(options.baseUrl);
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      throw new Error(`The registry address must be http(s): ${baseUrl.protocol}`);
    }
    this.baseUrl = new URL(baseUrl.origin);
    this.authorization = options.authorization;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** GET `/v2/`: resolves when the registry answers 200 to these credentials. */
  async ping(): Promise<void> {
    await this.send('GET', this.url('/v2/'), {}, [200]);
  }

  async blobExists(repo: string, digest: string): Promise<boolean> {
    checkRepository(repo);
    checkDigest(digest);
    const response = await this.send('HEAD', this.url(`/v2/${repo}/blobs/${digest}`), {}, [200, 404]);
    return response.status === 200;
  }

  /** Uploads `data` unless the repository already has it; POST then PUT `?digest=` (monolithic). */
  async uploadBlob(repo: string, data: Uint8Array): Promise<{ digest: string; size: number }> {
    checkRepository(repo);
    const digest = sha256Digest(data);
    const size = data.byteLength;
    if (await this.blobExists(repo, digest)) {
      return { digest, size };
    }
    const started = await this.send('POST', this.url(`/v2/${repo}/blobs/uploads/`), { headers: { 'Content-Length': '0' } }, [202]);
    const location = started.headers.get('location');
    if (!location) {
      throw new OciRequestError('POST', `/v2/${repo}/blobs/uploads/`, started.status, undefined, 'no Location header in the reply');
    }
    // Location may be relative and usually carries upload state in its query; keep both.
    const uploadUrl = new URL(location, this.baseUrl);
    uploadUrl.searchParams.set('digest', digest);
    const done = await this.send(
      'PUT',
      uploadUrl,
      { headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, body: data },
      [201],
    );
    const echoed = done.headers.get('docker-content-digest');
    if (echoed && echoed !== digest) {
      throw new OciRequestError('PUT', uploadUrl.pathname, done.status, 'DIGEST_INVALID', `registry stored ${echoed}, expected ${digest}`);
    }
    return { digest, size };
  }

  /** Pushes a manifest under a tag or its digest; returns the digest of the exact bytes sent. */
  async putManifest(repo: string, reference: string, manifest: object | string, mediaType: string): Promise<{ digest: string; size: number }> {
    checkRepository(repo);
    checkReference(reference);
    const body = Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest), 'utf8');
    const digest = sha256Digest(body);
    if (isDigest(reference) && reference !== digest) {
      throw new Error(`Manifest pushed by digest ${reference} hashes to ${digest}.`);
    }
    const path = `/v2/${repo}/manifests/${reference}`;
    const response = await this.send('PUT', this.url(path), { headers: { 'Content-Type': mediaType }, body }, [201]);
    const echoed = response.headers.get('docker-content-digest');
    if (echoed && echoed !== digest) {
      throw new OciRequestError('PUT', path, response.status, 'DIGEST_INVALID', `registry stored ${echoed}, expected ${digest}`);
    }
    return { digest, size: body.length };
  }

  /** The manifest's digest when it exists (HEAD), or undefined. */
  async manifestDigest(repo: string, reference: string, accept: string[] = DEFAULT_MANIFEST_ACCEPT): Promise<string | undefined> {
    checkRepository(repo);
    checkReference(reference);
    const response = await this.send('HEAD', this.url(`/v2/${repo}/manifests/${reference}`), { headers: { Accept: accept.join(', ') } }, [200, 404]);
    if (response.status === 404) {
      return undefined;
    }
    const digest = response.headers.get('docker-content-digest') ?? undefined;
    return digest && isDigest(digest) ? digest : (await this.getManifest(repo, reference, accept)).digest;
  }

  async getManifest(repo: string, reference: string, accept: string[] = DEFAULT_MANIFEST_ACCEPT): Promise<{ body: Buffer; mediaType: string; digest: string }> {
    checkRepository(repo);
    checkReference(reference);
    const path = `/v2/${repo}/manifests/${reference}`;
    const response = await this.send('GET', this.url(path), { headers: { Accept: accept.join(', ') } }, [200]);
    const body = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(body);
    if (isDigest(reference) && reference !== digest) {
      throw new OciRequestError('GET', path, response.status, 'DIGEST_INVALID', `content hashes to ${digest}`);
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const mediaType = contentType || mediaTypeInBody(body);
    if (!mediaType) {
      throw new OciRequestError('GET', path, response.status, undefined, 'the manifest has no media type');
    }
    return { body, mediaType, digest };
  }

  async getBlob(repo: string, digest: string): Promise<Buffer> {
    checkRepository(repo);
    checkDigest(digest);
    const path = `/v2/${repo}/blobs/${digest}`;
    const response = await this.send('GET', this.url(path), {}, [200]);
    const body = Buffer.from(await response.arrayBuffer());
    const actual = sha256Digest(body);
    if (actual !== digest) {
      throw new OciRequestError('GET', path, response.status, 'DIGEST_INVALID', `content hashes to ${actual}`);
    }
    return body;
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  /** One request; any status outside `expected` becomes an `OciRequestError`. Bodies of unread replies are drained. */
  private async send(
    method: string,
    url: URL,
    init: { headers?: Record<string, string>; body?: Uint8Array },
    expected: number[],
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    // Credentials go only to the registry itself, not to another origin an upload Location may name.
    if (this.authorization && url.origin === this.baseUrl.origin) {
      headers.Authorization = this.authorization;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : asBody(init.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${method} ${url.pathname} failed: ${reason}`, { cause: error });
    }
    if (!expected.includes(response.status)) {
      const text = method === 'HEAD' ? '' : await response.text().catch(() => '');
      const { code, message } = parseRegistryError(text);
      throw new OciRequestError(method, url.pathname, response.status, code, message ?? response.statusText);
    }
    if (method === 'HEAD' || (method !== 'GET' && response.body)) {
      await response.arrayBuffer().catch(() => undefined);
    }
    return response;
  }
}

/** `{"errors":[{"code":…,"message":…}]}` → its first code and message, if the body has that shape. */
export function parseRegistryError(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
    return {
      code: typeof first?.code === 'string' ? first.code : undefined,
      message: typeof first?.message === 'string' ? first.message : undefined,
    };
  } catch {
    return {};
  }
}

/** `fetch` wants bytes backed by a plain ArrayBuffer; copy only when they are not. */
function asBody(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

function mediaTypeInBody(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

function checkRepository(repo: string): void {
  if (!REPOSITORY_PATTERN.test(repo)) {
    throw new Error(`Invalid repository name: "${repo}"`);
  }
}

function checkDigest(digest: string): void {
  if (!isDigest(digest)) {
    throw new Error(`Invalid digest: "${digest}"`);
  }
}

function checkReference(reference: string): void {
  if (!isDigest(reference) && !TAG_PATTERN.test(reference)) {
    throw new Error(`Invalid tag or digest: "${reference}"`);
  }
}
