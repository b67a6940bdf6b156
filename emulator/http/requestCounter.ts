/**
 * Counts the requests the emulator receives (test controls under `/_emulator/` excluded), so
 * benchmarks can say how many calls a feature costs, measured at the server rather than
 * trusted from the client. Kept per route shape: repository names, digests, tags and ids
 * are folded away (`HEAD /v2/…/manifests/…`).
 */
export type ListenerRole = 'registry' | 'arm';

export interface RequestCounts {
  total: number;
  registry: number;
  arm: number;
  /** `METHOD shape` → count. */
  byRoute: Record<string, number>;
}

const V2_ROUTE = /^\/v2\/.+\/(manifests|blobs|tags|referrers)(\/.*)?$/;
const ACR_ROUTE = /^\/acr\/v1\/(?!_catalog).+?\/(_tags|_manifests|_operations|_streaming)(\/.*)?$/;
const ACR_REPOSITORY = /^\/acr\/v1\/[^_]/;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ARM_NAME = /\/(resourceGroups|registries)\/[^/]+/gi;

/** The route without what varies from call to call. */
export function routeShape(method: string, rawUrl: string): string {
  const path = rawUrl.split('?')[0];
  const v2 = V2_ROUTE.exec(path);
  if (v2) {
    return `${method} /v2/…/${v2[1]}${v2[2] ? '/…' : ''}`;
  }
  const acr = ACR_ROUTE.exec(path);
  if (acr) {
    return `${method} /acr/v1/…/${acr[1]}${acr[2] ? '/…' : ''}`;
  }
  if (ACR_REPOSITORY.test(path)) {
    return `${method} /acr/v1/…`;
  }
  return `${method} ${path.replace(GUID, '{id}').replace(ARM_NAME, '/$1/{name}')}`;
}

export class RequestCounter {
  private counts: RequestCounts = { total: 0, registry: 0, arm: 0, byRoute: {} };

  count(role: ListenerRole, method: string, rawUrl: string): void {
    if (rawUrl.startsWith('/_emulator/')) {
      return;
    }
    const shape = routeShape(method, rawUrl);
    this.counts.total += 1;
    this.counts[role] += 1;
    this.counts.byRoute[shape] = (this.counts.byRoute[shape] ?? 0) + 1;
  }

  snapshot(): RequestCounts {
    return { ...this.counts, byRoute: { ...this.counts.byRoute } };
  }

  reset(): void {
    this.counts = { total: 0, registry: 0, arm: 0, byRoute: {} };
  }
}
