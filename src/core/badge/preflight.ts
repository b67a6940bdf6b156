/**
 * ACR's conversion rules, checked before anything is sent: an image ACR would refuse is
 * refused here, with the same code ACR would report and a hint that says what to do.
 */
import { AcrStreamingError, CONVERSION_FAILURE_HINTS } from '../errors';
import { CONVERTIBLE_MEDIA_TYPES, INDEX_MEDIA_TYPES, RUNNABLE_CONFIG_MEDIA_TYPES, STREAMING_ARTIFACT_TYPE } from '../mediaTypes';
import type { Descriptor, ManifestSummary, Platform } from '../models';
import type { UnsupportedFinding } from './badgeState';

export const SUPPORTED_PLATFORM = 'linux/amd64';

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}

export function isLinuxAmd64(platform: Platform | undefined): boolean {
  return platform?.os === 'linux' && platform.architecture === 'amd64';
}

export function isIndex(manifest: ManifestSummary): boolean {
  return INDEX_MEDIA_TYPES.includes(manifest.mediaType);
}

/** The linux/amd64 entries of an index: the ones ACR converts. Empty for an image manifest. */
export function linuxAmd64Children(manifest: ManifestSummary): Descriptor[] {
  if (!isIndex(manifest)) {
    return [];
  }
  return (manifest.manifests ?? []).filter((entry) => isLinuxAmd64(entry.platform));
}

/** Registry (attacker-controlled) text made safe to show: control characters become spaces, bounded length. */
export function oneLine(text: string, max: number): string {
  let flat = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    flat += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  flat = flat.replace(/ {2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function quote(text: string): string {
  return `"${oneLine(text, 120)}"`;
}

function indexPlatforms(manifest: ManifestSummary): string[] {
  const platforms = new Set<string>();
  for (const entry of manifest.manifests ?? []) {
    // buildx attestation manifests carry unknown/unknown: not a platform anyone runs.
    if (entry.platform && entry.platform.os !== 'unknown') {
      platforms.add(formatPlatform(entry.platform));
    }
  }
  return [...platforms];
}

/**
 * Why ACR would refuse to convert this manifest, or undefined when it can be converted.
 * The checks run from the most specific to the most general, so a streaming artifact (which
 * also has a `subject`) is reported as such and not as "not runnable".
 *
 * An image manifest whose platform or config type is unknown (not filled by the caller) is
 * let through: the registry then decides, and a refusal shows up as a failed operation.
 */
export function findUnsupportedReason(manifest: ManifestSummary): UnsupportedFinding | undefined {
  if (manifest.artifactType === STREAMING_ARTIFACT_TYPE) {
    return { reason: 'streaming-artifact', code: 'UNSUPPORTED_ARTIFACT_TYPE', message: 'This manifest is itself a streaming artifact.' };
  }
  if (!CONVERTIBLE_MEDIA_TYPES.includes(manifest.mediaType)) {
    return {
      reason: 'media-type',
      code: 'UNSUPPORTED_MEDIATYPE',
      message: `Its media type ${quote(manifest.mediaType)} cannot be converted.`,
    };
  }
  if (manifest.subject) {
    return {
      reason: 'non-runnable',
      code: 'IMAGE_NOT_RUNNABLE',
      message: `It refers to another manifest (${manifest.subject.digest}), as signatures and SBOMs do, so it is not a runnable image.`,
    };
  }
  if (isIndex(manifest)) {
    if (linuxAmd64Children(manifest).length === 0) {
      const platforms = indexPlatforms(manifest);
      return {
        reason: 'platform',
        code: 'NO_SUPPORTED_PLATFORM_FOUND',
        message:
          platforms.length === 0
            ? 'The image index lists no platform entries.'
            : `The image index has no ${SUPPORTED_PLATFORM} entry (it has ${platforms.join(', ')}).`,
        platforms,
      };
    }
    return undefined;
  }
  // Image manifest. `artifactType` stands in for the config type when the caller only knew that.
  const configType = manifest.configMediaType ?? manifest.artifactType;
  if (configType !== undefined && !RUNNABLE_CONFIG_MEDIA_TYPES.includes(configType)) {
    return {
      reason: 'non-runnable',
      code: 'IMAGE_NOT_RUNNABLE',
      message: `Its config media type ${quote(configType)} is not a container image config.`,
    };
  }
  if (manifest.platform && !isLinuxAmd64(manifest.platform)) {
    const platform = formatPlatform(manifest.platform);
    return { reason: 'platform', code: 'UNSUPPORTED_PLATFORM', message: `It is a ${platform} image.`, platforms: [platform] };
  }
  return undefined;
}

/** Throws the error ACR would report for an image it cannot convert; nothing is sent. */
export function assertConvertible(manifest: ManifestSummary): void {
  const finding = findUnsupportedReason(manifest);
  if (finding) {
    throw new AcrStreamingError(finding.code, `${manifest.digest} cannot be converted to a streaming artifact: ${finding.message}`, {
      hint: CONVERSION_FAILURE_HINTS[finding.code],
    });
  }
}
