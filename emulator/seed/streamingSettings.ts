/** The one ACR call the seed makes besides `/v2/`: turning on auto-conversion of a repository. */
import { CONVERSION_FORMAT, CONVERSION_VERSION } from '../../src/core/mediaTypes';
import { OciRequestError, parseRegistryError } from '../oci/ociClient';

export interface StreamingSettings {
  convertPushedImages: boolean;
  conversionFormat?: string;
  conversionVersion?: string;
}

/** GET `/acr/v1/{repo}/_streaming`. */
export async function getStreamingSettings(baseUrl: string, authorization: string, repo: string): Promise<StreamingSettings> {
  return call(baseUrl, authorization, 'GET', repo);
}

/** POST `/acr/v1/{repo}/_streaming` with ACR's body; resolves to the settings the server reports. */
export async function setAutoConversion(baseUrl: string, authorization: string, repo: string, enabled: boolean): Promise<StreamingSettings> {
  const settings = await call(baseUrl, authorization, 'POST', repo, {
    convertPushedImages: enabled,
    conversionFormat: CONVERSION_FORMAT,
    conversionVersion: CONVERSION_VERSION,
  });
  if (settings.convertPushedImages !== enabled) {
    throw new Error(`POST /acr/v1/${repo}/_streaming answered convertPushedImages=${settings.convertPushedImages}, expected ${enabled}.`);
  }
  return settings;
}

async function call(baseUrl: string, authorization: string, method: 'GET' | 'POST', repo: string, body?: object): Promise<StreamingSettings> {
  const path = `/acr/v1/${repo}/_streaming`;
  const response = await fetch(new URL(path, new URL(baseUrl).origin), {
    method,
    headers: { Authorization: authorization, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200 && response.status !== 202) {
    const { code, message } = parseRegistryError(text);
    throw new OciRequestError(method, path, response.status, code, message ?? response.statusText);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OciRequestError(method, path, response.status, undefined, 'the reply is not JSON');
  }
  const value = parsed as Partial<StreamingSettings> | null;
  if (typeof value !== 'object' || value === null || typeof value.convertPushedImages !== 'boolean') {
    throw new OciRequestError(method, path, response.status, undefined, 'the reply has no boolean convertPushedImages');
  }
  return {
    convertPushedImages: value.convertPushedImages,
    ...(typeof value.conversionFormat === 'string' ? { conversionFormat: value.conversionFormat } : {}),
    ...(typeof value.conversionVersion === 'string' ? { conversionVersion: value.conversionVersion } : {}),
  };
}
