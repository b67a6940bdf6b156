/** Normalises ACR's operation replies into `StreamingOperation`. */
import type { z } from 'zod';
import { isConversionFailureCode } from './errors';
import type { StreamingOperation } from './models';
import type { operationSchema } from './schemas';

/** `"40%"` → 40; anything unreadable → 0; clamped to 0–100. */
export function parseProgress(value: string | number | null | undefined): number {
  const number = typeof value === 'number' ? value : Number.parseFloat(String(value ?? '').replace('%', ''));
  return Number.isFinite(number) ? Math.min(100, Math.max(0, number)) : 0;
}

/** `repo@sha256:…` → the digest, when the resource names this repository. */
export function digestOfResource(resource: string | undefined, repository: string): string | undefined {
  if (!resource) {
    return undefined;
  }
  const at = resource.lastIndexOf('@');
  return at > 0 && resource.slice(0, at) === repository ? resource.slice(at + 1) : undefined;
}

/**
 * The failure code of an operation: `error.code` where the server gives one, otherwise a
 * documented code leading the `details` text ("UNSUPPORTED_PLATFORM: …").
 */
export function failureCodeOf(body: z.infer<typeof operationSchema>): string | undefined {
  if (body.error?.code) {
    return body.error.code;
  }
  const leading = /^\s*([A-Z][A-Z_]+)\b/.exec(body.details ?? '')?.[1];
  return isConversionFailureCode(leading) ? leading : undefined;
}

export function toStreamingOperation(body: z.infer<typeof operationSchema>, repository: string, id: string, digest?: string): StreamingOperation {
  return {
    id,
    repository,
    digest: digestOfResource(body.resource, repository) ?? digest,
    name: body.name,
    status: body.status,
    progress: body.status === 'Succeeded' ? 100 : parseProgress(body.progress),
    startTime: body.startTime ?? undefined,
    details: body.details ?? undefined,
    errorCode: body.status === 'Failed' ? (failureCodeOf(body) ?? 'UNKNOWN_ERROR') : undefined,
  };
}
