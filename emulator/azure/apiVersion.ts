/** ARM `api-version` values (`2025-11-01`, `2025-03-01-preview`) and what depends on them. */

const API_VERSION = /^(\d{4}-\d{2}-\d{2})(-preview)?$/;

export interface ApiVersion {
  date: string;
  preview: boolean;
}

export function parseApiVersion(value: string): ApiVersion | undefined {
  const match = API_VERSION.exec(value.trim());
  return match ? { date: match[1], preview: match[2] !== undefined } : undefined;
}

/**
 * `properties.policies.softDeletePolicy` exists in the registry's preview api-versions from
 * 2023-01-01-preview on; GA versions (the SDK's 2025-11-01 included) do not have it.
 */
export function showsSoftDelete(version: ApiVersion | undefined): boolean {
  return !!version && version.preview && version.date >= '2023-01-01';
}
