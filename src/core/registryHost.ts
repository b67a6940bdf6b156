/**
 * Which hosts may be a registry, and over which scheme. A registry address can come from a
 * cloned repository's settings, so it is untrusted input: it must not point the extension at
 * a cloud metadata service (which hands out machine credentials to whoever asks from the
 * host), and plain HTTP is kept to loopback unless the user opted in.
 */
import { isLoopbackHost } from './azure/loopback';
import { InvalidInputError } from './errors';

/** The IPv4 link-local block 169.254.0.0/16 (AWS, Azure, GCP metadata at 169.254.169.254). */
function isLinkLocalIpv4(a: number, b: number): boolean {
  return a === 169 && b === 254;
}

/** Dotted-quad octets, or undefined when `host` is not an IPv4 address in canonical form. */
function ipv4Octets(host: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) {
    return undefined;
  }
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address as WHATWG URL prints it (compressed, hex). */
function ipv6Groups(host: string): number[] | undefined {
  if (!/^[0-9a-f:]+$/i.test(host)) {
    return undefined;
  }
  const halves = host.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0) || [...head, ...tail].some((group) => Number.isNaN(group) || group > 0xffff)) {
    return undefined;
  }
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isForbiddenIpv6(groups: number[]): boolean {
  // fe80::/10, IPv6 link-local.
  if ((groups[0] & 0xffc0) === 0xfe80) {
    return true;
  }
  // fd00:ec2::254, the AWS metadata service over IPv6.
  if (groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) {
    return true;
  }
  // An IPv4 address inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64
  // (64:ff9b::a.b.c.d); the URL parser prints them in hex (::ffff:a9fe:a9fe).
  const prefix = groups.slice(0, 6).join(':');
  const embedsIpv4 = prefix === '0:0:0:0:0:65535' || prefix === '0:0:0:0:0:0' || prefix === '100:65435:0:0:0:0';
  return embedsIpv4 && isLinkLocalIpv4(groups[6] >> 8, groups[6] & 0xff);
}

/**
 * True for a link-local or metadata address, given a WHATWG URL `hostname` (which has already
 * turned `2852039166`, `0xa9fea9fe` or `0251.0376.0251.0376` into `169.254.169.254`).
 */
export function isForbiddenRegistryHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  const octets = ipv4Octets(host);
  if (octets) {
    return isLinkLocalIpv4(octets[0], octets[1]);
  }
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = ipv6Groups(host.slice(1, -1));
    return groups !== undefined && isForbiddenIpv6(groups);
  }
  return false;
}

/** Throws when a registry's base URL names a link-local or metadata address. */
export function assertAllowedRegistryHost(baseUrl: string): void {
  const url = new URL(baseUrl);
  if (isForbiddenRegistryHost(url.hostname)) {
    throw new InvalidInputError(
      'registry',
      `${url.hostname} is a link-local or cloud metadata address, not a registry.`,
      'Give the registry\'s login server (e.g. "myregistry.azurecr.io") or its own address.',
    );
  }
}

/** True when a registry at `baseUrl` may be used: https anywhere, http on loopback or when allowed. */
export function isAllowedRegistryTransport(baseUrl: string, allowInsecure: boolean): boolean {
  const url = new URL(baseUrl);
  return url.protocol === 'https:' || allowInsecure || isLoopbackHost(url.hostname);
}

/** Throws when a registry would be reached over plain HTTP on a non-loopback host without the user's opt-in. */
export function assertAllowedRegistryTransport(baseUrl: string, allowInsecure: boolean, optIn: string): void {
  if (!isAllowedRegistryTransport(baseUrl, allowInsecure)) {
    const host = new URL(baseUrl).host;
    throw new InvalidInputError(
      'registry',
      `${host} is reached over plain http, which is only allowed for 127.0.0.1, localhost or [::1].`,
      `Use https, or, for a registry on a network you trust, turn on ${optIn}.`,
    );
  }
}
