import type { Result } from '@scia/api';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as ipaddrModule from 'ipaddr.js';
import type { IPv4, IPv6 } from 'ipaddr.js';

// ipaddr.js is CommonJS whose exports Node cannot name: imported as a module, it is its default export (bundlers agree).
const ipaddr = (ipaddrModule as unknown as { default?: typeof ipaddrModule }).default ?? ipaddrModule;

/**
 * isPublicAddress tells whether an IP address is routable on the public
 * internet, by ipaddr.js's table of special-purpose ranges (loopback, private,
 * link-local, CGNAT, documentation, benchmarking, multicast, reserved...): an
 * IPv4 address must be plain unicast; an IPv6 one global unicast (2000::/3)
 * outside every special range. IPv6 forms that carry an IPv4 address (mapped,
 * SIIT, NAT64 64:ff9b::/96, 6to4) are judged by that address; Teredo,
 * local-use NAT64 (64:ff9b:1::/48) and the deprecated IPv4-compatible form
 * (::a.b.c.d), which no public host uses, are refused.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return ipaddr.IPv4.parse(address).range() === 'unicast';
  // ipaddr.js reads ::a.b.c.d as IPv4-mapped, where a socket connects to ::a.b.c.d itself: judge the URL parser's canonical form.
  const v6 = ipaddr.IPv6.parse(canonicalIPv6(address));
  const embedded = embeddedIPv4(v6);
  if (embedded !== undefined) return embedded !== null && embedded.range() === 'unicast';
  return v6.range() === 'unicast' && (v6.parts[0] ?? 0) >> 13 === 1;
}

/** canonicalIPv6 writes an IPv6 address as the URL parser serialises it: hexadecimal groups, no dotted quad. */
function canonicalIPv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return '::';
  }
}

/** embeddedIPv4 returns the IPv4 address an IPv6 transition form carries, null for a form that is refused, undefined for none. */
function embeddedIPv4(v6: IPv6): IPv4 | null | undefined {
  const p = v6.parts;
  const low = (hi: number | undefined, lo: number | undefined): IPv4 => new ipaddr.IPv4([(hi ?? 0) >> 8, (hi ?? 0) & 0xff, (lo ?? 0) >> 8, (lo ?? 0) & 0xff]);
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return low(p[6], p[7]);
    case 'rfc6052':
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? low(p[6], p[7]) : null;
    case '6to4':
      return low(p[1], p[2]);
    case 'teredo':
      return null;
    default:
      // IPv4-compatible (::a.b.c.d); :: and ::1 have ranges of their own.
      return p.slice(0, 6).every((x: number) => x === 0) ? null : undefined;
  }
}

/** Pinned is a host's checked address: connections go there, so a second DNS answer cannot redirect them. */
export interface Pinned {
  address: string;
  family: 4 | 6;
}


/**
 * pinHost resolves `host` and refuses it when any of its addresses is not
 * public, unless the host is allowlisted. The first address is returned for
 * the connection to use.
 */
export async function pinHost(host: string, allowedHosts: readonly string[]): Promise<Result<Pinned>> {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(bare) === 0 ? await lookup(bare, { all: true, verbatim: true }) : [{ address: bare, family: isIP(bare) }];
  } catch (err) {
    return { ok: false, error: `cannot resolve host ${bare}: ${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}` };
  }
  const first = addresses[0];
  if (first === undefined) return { ok: false, error: `cannot resolve host ${bare}: no address` };
  if (!allowedHosts.includes(bare)) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked !== undefined) return { ok: false, error: `host ${bare} resolves to ${blocked.address}, a loopback, private or link-local address (allow it with SCIA_GIT_ALLOWED_HOSTS)` };
  }
  return { ok: true, value: { address: first.address, family: first.family === 6 ? 6 : 4 } };
}
