/**
 * The token scope a request needs, derived from its path and method. Used to reuse a cached
 * token before the registry has to challenge; the challenge's own `scope` wins when present.
 */
export function scopeForRequest(method: string, url: string): string | undefined {
  const path = new URL(url).pathname;
  if (path === '/acr/v1/_catalog' || path === '/v2/_catalog') {
    return 'registry:catalog:*';
  }
  const repository = repositoryOfPath(path);
  if (!repository) {
    return undefined;
  }
  const verb = method.toUpperCase();
  // ACR grants deletion as its own action; pull,push would be challenged again for `delete`.
  if (verb === 'DELETE') {
    return `repository:${repository}:delete`;
  }
  const write = !['GET', 'HEAD'].includes(verb);
  return `repository:${repository}:${write ? 'pull,push' : 'pull'}`;
}

const V2_SUFFIX = /\/(manifests|blobs|tags|referrers)\/.*$|\/(tags\/list|blobs\/uploads\/?.*)$/;

/** `samples/hello` from `/v2/samples/hello/manifests/1.0` or `/acr/v1/samples/hello/_tags`. */
export function repositoryOfPath(path: string): string | undefined {
  if (path.startsWith('/acr/v1/')) {
    const rest = path.slice('/acr/v1/'.length);
    const marker = rest.search(/\/_(tags|manifests|streaming|operations)(\/|$)/);
    const repo = marker >= 0 ? rest.slice(0, marker) : rest;
    return repo && !repo.startsWith('_') ? decodeURIComponent(repo) : undefined;
  }
  if (path.startsWith('/v2/')) {
    const rest = path.slice('/v2/'.length);
    const match = V2_SUFFIX.exec(rest);
    if (!match) {
      return undefined;
    }
    const repo = rest.slice(0, match.index);
    return repo ? decodeURIComponent(repo) : undefined;
  }
  return undefined;
}
