/**
 * Docker/ACR token scopes: `repository:<name>:<action>[,<action>…]` and `registry:catalog:*`.
 * Actions a principal holds "satisfy" needed ones: `pull` covers `metadata_read`, and `push`
 * covers `delete` (the emulator treats deletes as writes).
 */

export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Parses one scope string; a repository name may itself hold no `:`, so split at the ends. */
export function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) {
    return undefined;
  }
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (name === '' || actions.length === 0) {
    return undefined;
  }
  return { type, name, actions };
}

/** All scopes of a token request: several `scope` parameters, each possibly space-separated. */
export function parseScopes(values: readonly string[]): AccessEntry[] {
  return values
    .flatMap((value) => value.split(' '))
    .filter((s) => s !== '')
    .map(parseScope)
    .filter((e): e is AccessEntry => e !== undefined);
}

export function formatScope(entry: AccessEntry): string {
  return `${entry.type}:${entry.name}:${entry.actions.join(',')}`;
}

const IMPLIED: Record<string, string[]> = {
  metadata_read: ['pull', 'push'],
  delete: ['push'],
  metadata_write: ['push'],
};

/** Whether holding `held` lets one do `needed`. */
export function actionSatisfied(held: readonly string[], needed: string): boolean {
  return held.includes('*') || held.includes(needed) || (IMPLIED[needed] ?? []).some((a) => held.includes(a));
}

/** Whether `access` (e.g. a token's claim) covers `needed` on `type:name`. */
export function accessCovers(access: readonly AccessEntry[], type: string, name: string, needed: string): boolean {
  return access.some((entry) => entry.type === type && (entry.name === name || entry.name === '*') && actionSatisfied(entry.actions, needed));
}
