/** The token audiences of Azure Resource Manager and of ACR's Entra exchange. */

/** Audiences ARM accepts (both public-cloud spellings). The emulator adds `<armUrl>/`. */
export const ARM_AUDIENCES: readonly string[] = ['https://management.azure.com/', 'https://management.core.windows.net/'];

/** What `https://containerregistry.azure.net/.default` yields: ACR's own Entra audience. */
export const ACR_ENTRA_AUDIENCE = 'https://containerregistry.azure.net';

/** Default `aud` of an Entra test token: what `az login` and VS Code ask for first. */
export const DEFAULT_ENTRA_AUDIENCE = ARM_AUDIENCES[0];

export function armAudiences(armUrl: string): string[] {
  return [...ARM_AUDIENCES, `${armUrl}/`];
}

/**
 * The `aud` Entra puts in a v1 token for a scope list: the resource of the first scope, i.e.
 * the scope without `/.default`. Entra answers with the resource's registered identifier, which
 * for ARM ends in a slash (`https://management.azure.com/`) and for most others does not
 * (`https://containerregistry.azure.net`); `slashResources` are those registered with one.
 */
export function audienceOfScopes(scopes: readonly string[] | undefined, slashResources: readonly string[] = ARM_AUDIENCES): string {
  const first = scopes?.map((scope) => scope.trim()).find((scope) => scope !== '');
  if (!first) {
    return DEFAULT_ENTRA_AUDIENCE;
  }
  const resource = first.endsWith('/.default') ? first.slice(0, -'/.default'.length) : first;
  return slashResources.includes(`${resource}/`) ? `${resource}/` : resource;
}
