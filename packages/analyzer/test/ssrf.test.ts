import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '@scia/analyzer';

/** Every address a fetch may connect to, judged before connecting. */
const cases: Record<string, { reason: string; address: string; public: boolean }> = {
  'public-v4': { reason: 'a public IPv4 address', address: '8.8.8.8', public: true },
  'public-v6': { reason: 'a global unicast IPv6 address', address: '2001:4860:4860::8888', public: true },
  loopback: { reason: 'IPv4 loopback', address: '127.0.0.1', public: false },
  'loopback-v6': { reason: 'IPv6 loopback', address: '::1', public: false },
  unspecified: { reason: 'the unspecified IPv6 address', address: '::', public: false },
  'this-network': { reason: '0.0.0.0/8', address: '0.1.2.3', public: false },
  private10: { reason: '10/8', address: '10.1.2.3', public: false },
  private172: { reason: '172.16/12', address: '172.20.0.1', public: false },
  private192: { reason: '192.168/16', address: '192.168.1.1', public: false },
  metadata: { reason: 'link-local, the cloud metadata service', address: '169.254.169.254', public: false },
  cgnat: { reason: 'carrier-grade NAT', address: '100.64.0.1', public: false },
  'ietf-protocol': { reason: '192.0.0.0/24', address: '192.0.0.8', public: false },
  'test-net-1': { reason: 'documentation 192.0.2.0/24', address: '192.0.2.10', public: false },
  'test-net-2': { reason: 'documentation 198.51.100.0/24', address: '198.51.100.7', public: false },
  'test-net-3': { reason: 'documentation 203.0.113.0/24', address: '203.0.113.99', public: false },
  benchmarking: { reason: '198.18.0.0/15', address: '198.19.1.1', public: false },
  multicast: { reason: 'IPv4 multicast', address: '224.0.0.1', public: false },
  'class-e': { reason: '240.0.0.0/4', address: '250.1.1.1', public: false },
  broadcast: { reason: 'limited broadcast', address: '255.255.255.255', public: false },
  'link-local-v6': { reason: 'fe80::/10', address: 'fe80::1', public: false },
  ula: { reason: 'unique local fc00::/7', address: 'fd00::1', public: false },
  'multicast-v6': { reason: 'ff00::/8', address: 'ff02::1', public: false },
  'doc-v6': { reason: 'documentation 2001:db8::/32', address: '2001:db8::1', public: false },
  'doc-v6-new': { reason: 'documentation 3fff::/20', address: '3fff::1', public: false },
  'discard-v6': { reason: 'discard-only 100::/64', address: '100::1', public: false },
  'benchmarking-v6': { reason: '2001:2::/48', address: '2001:2::1', public: false },
  'not-global-v6': { reason: 'outside 2000::/3', address: '4000::1', public: false },
  'mapped-loopback': { reason: 'IPv4-mapped loopback', address: '::ffff:127.0.0.1', public: false },
  'mapped-metadata-hex': { reason: 'IPv4-mapped link-local in hex', address: '::ffff:a9fe:a9fe', public: false },
  'mapped-public': { reason: 'IPv4-mapped public address', address: '::ffff:8.8.8.8', public: true },
  'siit-metadata': { reason: 'SIIT ::ffff:0:a.b.c.d carrying link-local', address: '::ffff:0:a9fe:a9fe', public: false },
  'compatible-metadata': { reason: 'IPv4-compatible ::a.b.c.d', address: '::a9fe:a9fe', public: false },
  'compatible-public': { reason: 'IPv4-compatible forms are refused whatever they carry', address: '::8.8.8.8', public: false },
  'nat64-metadata': { reason: 'NAT64 64:ff9b::/96 carrying link-local', address: '64:ff9b::a9fe:a9fe', public: false },
  'nat64-dotted': { reason: 'NAT64 written with a dotted quad', address: '64:ff9b::10.0.0.1', public: false },
  'nat64-public': { reason: 'NAT64 carrying a public address', address: '64:ff9b::808:808', public: true },
  'nat64-local-use': { reason: 'local-use NAT64 64:ff9b:1::/48', address: '64:ff9b:1::808:808', public: false },
  '6to4-metadata': { reason: '6to4 2002::/16 carrying link-local', address: '2002:a9fe:a9fe::1', public: false },
  '6to4-private': { reason: '6to4 carrying 10/8', address: '2002:0a00:0001::1', public: false },
  '6to4-public': { reason: '6to4 carrying a public address', address: '2002:808:808::1', public: true },
  teredo: { reason: 'Teredo 2001::/32 hides its destination', address: '2001:0:4136:e378:8000:63bf:3fff:fdd2', public: false },
  'zone-id': { reason: 'a scoped address', address: 'fe80::1%eth0', public: false },
  'not-an-ip': { reason: 'a name is no address', address: 'metadata.google.internal', public: false },
  'short-v4': { reason: 'inet_aton shorthand is no address here (URL parsing normalises it first)', address: '127.1', public: false },
};

describe('isPublicAddress', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(isPublicAddress(c.address), c.reason).toBe(c.public);
  });
});
