/** A conversion that cannot go on, with ACR's documented failure code. */
import type { ConversionFailureCode } from '../../src/core/errors';
import { UpstreamError } from '../upstream/upstreamClient';

export class ConversionFailure extends Error {
  constructor(
    readonly code: ConversionFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConversionFailure';
  }
}

/** Any error from a conversion as `{code, message}`: a vanished blob is RESOURCE_NOT_FOUND, the rest UNKNOWN_ERROR. */
export function failureOf(error: unknown): { code: ConversionFailureCode; message: string } {
  if (error instanceof ConversionFailure) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof UpstreamError && error.status === 404) {
    return { code: 'RESOURCE_NOT_FOUND', message: `A blob of the image was not found while converting (${error.message}).` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNKNOWN_ERROR', message: `The conversion stopped on an internal error: ${message}` };
}
