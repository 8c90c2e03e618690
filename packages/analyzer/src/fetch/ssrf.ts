import type { Result } from '@scia/api';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** BLOCKED holds the loopback, private, link-local and other non-public ranges a fetch must not reach. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** isPublicAddress tells whether an IP address is routable on the public internet (IPv4-mapped IPv6 checked as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return !BLOCKED.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return !BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
