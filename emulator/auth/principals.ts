/**
 * Who is calling, and what they may be granted. Admin and Entra principals may do anything
 * (as a registry owner would); repository-scoped tokens hold exactly their scopes; bearer
 * tokens hold what their `access` claim says; anonymous callers may pull when the registry
 * allows anonymous pull.
 */
import { accessCovers, type AccessEntry } from './scopes';

export type PrincipalKind = 'admin' | 'scoped-token' | 'entra' | 'anonymous' | 'bearer';

export interface Principal {
  kind: PrincipalKind;
  /** User name, token name or Entra object id (never a secret). */
  subject: string;
  /** Whether this principal may do `action` on `type:name`. */
  may(type: string, name: string, action: string): boolean;
  /** How it authenticated on this request: basic credentials get 403 on missing rights, bearer 401. */
  via: 'basic' | 'bearer' | 'none';
}

export function ownerPrincipal(kind: 'admin' | 'entra', subject: string, via: Principal['via']): Principal {
  return { kind, subject, via, may: () => true };
}

export function accessPrincipal(kind: PrincipalKind, subject: string, access: readonly AccessEntry[], via: Principal['via']): Principal {
  return { kind, subject, via, may: (type, name, action) => accessCovers(access, type, name, action) };
}

export function anonymousPrincipal(anonymousPull: boolean): Principal {
  return {
    kind: 'anonymous',
    subject: '',
    via: 'none',
    may: (type, _name, action) => anonymousPull && type === 'repository' && (action === 'pull' || action === 'metadata_read'),
  };
}

/** The part of each requested scope that `principal` may have (entries left empty are kept, as Docker does). */
export function grantScopes(principal: Principal, requested: readonly AccessEntry[]): AccessEntry[] {
  return requested.map((entry) => {
    const actions =
      entry.actions.includes('*') && principal.may(entry.type, entry.name, '*')
        ? ['*']
        : entry.actions.filter((action) => action !== '*' && principal.may(entry.type, entry.name, action));
    return { type: entry.type, name: entry.name, actions };
  });
}
