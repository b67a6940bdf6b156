/**
 * Which access a data-plane request needs, by method and path. Reads need `pull`
 * (`metadata_read` for ACR metadata), writes `push`, deletes `delete`, catalogs
 * `registry:catalog:*`. Starting a conversion needs only `pull`: the recorded Azure CLI does
 * exactly that, with a token requested for `repository:<repo>:pull`.
 */

export type NeededAccess =
  | { kind: 'login' }
  | { kind: 'scope'; type: 'repository' | 'registry'; name: string; action: string; challengeActions: string };

const CATALOG: NeededAccess = { kind: 'scope', type: 'registry', name: 'catalog', action: '*', challengeActions: '*' };

function repository(name: string, action: string, challengeActions = action): NeededAccess {
  return { kind: 'scope', type: 'repository', name, action, challengeActions };
}

function byMethod(name: string, method: string, read: 'pull' | 'metadata_read'): NeededAccess {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return repository(name, read);
    case 'DELETE':
      return repository(name, 'delete');
    default:
      return read === 'metadata_read' ? repository(name, 'metadata_write') : repository(name, 'push', 'pull,push');
  }
}

export function neededAccess(method: string, path: string): NeededAccess {
  if (path === '/v2/' || path === '/v2') {
    return { kind: 'login' };
  }
  if (path === '/v2/_catalog' || path === '/acr/v1/_catalog') {
    return CATALOG;
  }
  const v2 = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(path);
  if (v2) {
    return byMethod(v2[1], method, 'pull');
  }
  const streaming = /^\/acr\/v1\/(.+?)\/(_streaming|_operations)(\/.*)?$/.exec(path);
  if (streaming) {
    const [, name, kind, rest] = streaming;
    if (method === 'GET' || method === 'HEAD') {
      return repository(name, 'pull');
    }
    if (kind === '_streaming' && rest !== undefined && rest !== '/') {
      return repository(name, 'pull');
    }
    return repository(name, 'push', 'pull,push');
  }
  const acr = /^\/acr\/v1\/(.+?)(\/(_tags|_manifests)(\/.*)?)?$/.exec(path);
  if (acr) {
    return byMethod(acr[1], method, 'metadata_read');
  }
  return { kind: 'login' };
}
