/**
 * The one question asked before any credential goes to a registry that only a workspace's
 * settings list: a modal naming the address and which credentials it would get. The answer is
 * remembered by the store (global state, per address); VS Code's modal is passed in, so this
 * runs under plain Node in tests.
 */
import type { RegistryStore } from './registryStore';

/** Shows a modal warning with `actions`; resolves to the chosen one, undefined on Cancel. */
export type AskModal = (message: string, detail: string, actions: readonly string[]) => PromiseLike<string | undefined>;

/**
 * `not-needed`: the registry is trusted already (or not listed); `declined`: nothing changes;
 * `use-environment`: trusted, with the environment credentials; `sign-in`: trusted, the caller asks how to sign in.
 */
export type TrustAnswer = 'not-needed' | 'declined' | 'use-environment' | 'sign-in';

export const TRUST_ACTIONS = {
  useEnvironment: 'Trust and Use Environment Credentials',
  signIn: 'Trust and Sign In…',
} as const;

export async function confirmWorkspaceRegistry(
  store: Pick<RegistryStore, 'get' | 'trust' | 'environmentUser'>,
  loginServer: string,
  ask: AskModal,
): Promise<TrustAnswer> {
  const entry = store.get(loginServer);
  if (!entry || entry.trusted) {
    return 'not-needed';
  }
  const user = store.environmentUser;
  const offered = user
    ? `the environment credentials (ACR_STREAMING_USERNAME "${user}" and ACR_STREAMING_PASSWORD), or the password or Microsoft Entra token you choose next`
    : 'the password or Microsoft Entra token you choose next';
  const detail =
    `${loginServer} (${entry.endpoint.baseUrl}) is listed only in this workspace's settings, which a cloned repository can write. ` +
    `Until you confirm, the extension uses it anonymously. If you trust this host, it will be sent ${offered}. ` +
    `The answer is remembered for ${entry.endpoint.baseUrl}; Remove Registry forgets it.`;
  const actions = user ? [TRUST_ACTIONS.useEnvironment, TRUST_ACTIONS.signIn] : [TRUST_ACTIONS.signIn];
  const choice = await ask(`Send credentials to ${loginServer}?`, detail, actions);
  if (choice === TRUST_ACTIONS.useEnvironment) {
    await store.trust(loginServer);
    return 'use-environment';
  }
  // Sign-in trusts the address once the user has chosen how (RegistryStore.setAuth).
  return choice === TRUST_ACTIONS.signIn ? 'sign-in' : 'declined';
}
