import { describe, expect, it } from 'vitest';
import { isLoopback } from '../src/commands/serve.js';

describe('isLoopback', () => {
  const cases: Record<string, { reason: string; host: string; want: boolean }> = {
    ipv4: { reason: 'The whole 127.0.0.0/8 range is loopback.', host: '127.0.0.1', want: true },
    ipv4Other: { reason: '127.1.2.3 is loopback too.', host: '127.1.2.3', want: true },
    name: { reason: 'localhost names the loopback interface.', host: 'localhost', want: true },
    ipv6: { reason: '::1 is the IPv6 loopback.', host: '::1', want: true },
    any: { reason: '0.0.0.0 listens on every interface, reachable from the network.', host: '0.0.0.0', want: false },
    lan: { reason: 'A private address is reachable from its network.', host: '10.0.0.5', want: false },
    lookalike: { reason: 'A name that starts like an address is not one.', host: '127.0.0.1.example.com', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, tc) => {
    expect(isLoopback(tc.host), tc.reason).toBe(tc.want);
  });
});
