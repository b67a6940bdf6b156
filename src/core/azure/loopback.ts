/** Loopback hosts: the only places plain HTTP is allowed to carry Azure tokens (a local emulator). */

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True for 127.0.0.1, localhost and [::1] (a URL's `hostname`, any case). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.toLowerCase());
}

/** https anywhere; http only on a loopback host. */
export function isAllowedAzureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
