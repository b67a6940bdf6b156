/**
 * `/v2/*` passed through to docker-registry, streaming both ways (blobs are never buffered).
 * Manifest PUTs are the exception: they are small, read whole, and once stored the emulator
 * records the push (tag times, caches, auto-conversion) before the client sees the reply.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { sendAcrError } from '../http/acrResponses';
import { BodyTooLargeError, readBody } from '../http/requestBody';
import type { RequestContext } from '../http/requestContext';
import type { RegistryEvents } from '../registry/registryEvents';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
]);
const MANIFEST_LIMIT = 4 * 1024 * 1024;
const MANIFEST_PATH = /^\/v2\/(.+?)\/manifests\/([^/]+)$/;

export interface ProxyDeps {
  upstreamUrl: URL;
  events: RegistryEvents;
  log: (line: string) => void;
}

function copyHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) {
      out[name] = value;
    }
  }
  return out;
}

export async function proxyV2(ctx: RequestContext, deps: ProxyDeps): Promise<void> {
  const manifest = MANIFEST_PATH.exec(ctx.path);
  let body: Buffer | undefined;
  if (manifest && ctx.method === 'PUT') {
    try {
      body = await readBody(ctx.req, MANIFEST_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendAcrError(ctx.res, 413, 'SIZE_INVALID', 'manifest too large', { detail: null });
        return;
      }
      throw error;
    }
  }
  const upstreamResponse = await send(ctx, deps.upstreamUrl, body);
  if (!upstreamResponse) {
    return;
  }
  if (manifest && ctx.method === 'PUT' && upstreamResponse.statusCode === 201) {
    const digest = upstreamResponse.headers['docker-content-digest'];
    const reference = decodeURIComponent(manifest[2]);
    if (typeof digest === 'string') {
      await deps.events.manifestPushed(manifest[1], digest, reference.startsWith('sha256:') ? undefined : reference);
    }
  }
  if (manifest && ctx.method === 'DELETE' && upstreamResponse.statusCode === 202) {
    await deps.events.manifestDeleted(manifest[1], decodeURIComponent(manifest[2]));
  }
  await pipeResponse(ctx, upstreamResponse);
}

function send(ctx: RequestContext, upstreamUrl: URL, body: Buffer | undefined): Promise<IncomingMessage | undefined> {
  return new Promise((resolve, reject) => {
    const headers = copyHeaders(ctx.req.headers);
    headers.host = upstreamUrl.host;
    if (body !== undefined) {
      headers['content-length'] = body.length;
    }
    const upstream = httpRequest(
      { hostname: upstreamUrl.hostname, port: upstreamUrl.port, method: ctx.method, path: ctx.req.url ?? ctx.path, headers },
      resolve,
    );
    upstream.on('error', (error) => {
      if (ctx.res.headersSent) {
        ctx.res.destroy(error);
        resolve(undefined);
      } else if (ctx.res.destroyed || ctx.req.destroyed) {
        resolve(undefined);
      } else {
        sendAcrError(ctx.res, 502, 'UNKNOWN', `the registry storage is unavailable: ${error.message}`);
        resolve(undefined);
      }
    });
    // A client that goes away takes its upstream request with it.
    ctx.res.on('close', () => {
      if (!ctx.res.writableFinished) {
        upstream.destroy();
      }
    });
    if (body !== undefined) {
      upstream.end(body);
    } else {
      ctx.req.on('error', reject);
      ctx.req.pipe(upstream);
    }
  });
}

function pipeResponse(ctx: RequestContext, upstream: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const headers = copyHeaders(upstream.headers);
    ctx.res.writeHead(upstream.statusCode ?? 502, headers);
    upstream.pipe(ctx.res);
    const done = () => resolve();
    ctx.res.once('finish', done);
    ctx.res.once('close', done);
    upstream.once('end', done);
    upstream.on('error', (error) => {
      ctx.res.destroy(error);
      resolve();
    });
  });
}
