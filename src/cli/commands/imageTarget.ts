/** Shared by the commands that act on one image: its display name, digest and last operation. */
import type { RegistryApi, RequestOptions, StreamingApi } from '../../core/api';
import { AcrStreamingError, InvalidInputError } from '../../core/errors';
import type { StreamingOperation } from '../../core/models';
import { formatImageReference, isValidDigest, type ImageReference, type RegistryEndpoint } from '../../core/reference';
import type { OperationTarget } from '../options';

export function displayImage(image: ImageReference): string {
  return formatImageReference(image);
}

/** How a user names this registry on the command line again (a URL when it is plain HTTP). */
export function registryArgument(endpoint: RegistryEndpoint): string {
  return endpoint.baseUrl.startsWith('http://') ? endpoint.baseUrl : endpoint.loginServer;
}

/** A digest as given costs nothing; a tag is resolved; both must agree. */
export async function resolveImageDigest(registry: RegistryApi, image: ImageReference, options: RequestOptions = {}): Promise<string> {
  if (image.tag === undefined) {
    return image.digest as string;
  }
  const resolved = await registry.resolveDigest(image.repository, image.tag, options);
  if (!isValidDigest(resolved)) {
    throw new AcrStreamingError('INVALID_RESPONSE', `The registry resolved ${image.repository}:${image.tag} to "${resolved}", which is not a digest.`);
  }
  if (image.digest !== undefined && image.digest !== resolved) {
    throw new InvalidInputError('digest', `${image.repository}:${image.tag} points to ${resolved}, not to ${image.digest}.`, 'The tag has moved: give only the tag or only the digest.');
  }
  return resolved;
}

/** The operation named by `--image` (the image's last one) or by `--repository` and `--id`. */
export async function findOperation(registry: RegistryApi, streaming: StreamingApi, target: OperationTarget, options: RequestOptions = {}): Promise<StreamingOperation> {
  if (target.kind === 'id') {
    const { retryAfterMs: _ignored, ...operation } = await streaming.getOperation(target.repository, target.id, options);
    return operation;
  }
  const digest = await resolveImageDigest(registry, target.image, options);
  const operation = await streaming.getLastOperation(target.image.repository, digest, options);
  if (!operation) {
    throw new AcrStreamingError('NOT_FOUND', `${displayImage(target.image)} (${digest}) has no conversion operation.`, {
      hint: 'It was never converted, or its last operation has expired. Start one with "acr-streaming create".',
    });
  }
  return operation;
}
