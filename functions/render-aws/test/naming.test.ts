import { describe, expect, it } from 'vitest';
import { awsName, resourceName, type Target } from '@scia/function-render-aws';

const target = (name: string): Target => ({ name, deployment: name, namespace: 'team', scope: 'cluster' });

describe('names derive from the XR', () => {
  const cases: Record<string, { reason: string; got: string; want: string }> = {
    short: { reason: 'a short name is `<xr>-<key>`', got: resourceName(target('flask-api-x7k2p'), 'asg'), want: 'flask-api-x7k2p-asg' },
    long: {
      reason: 'a name over 63 characters keeps a prefix of the XR name, a hash of the whole and the key',
      got: resourceName(target(`${'a'.repeat(60)}-x7k2p`), 'instance-role-cloudwatch-agent'),
      want: `${'a'.repeat(25)}-623a33-instance-role-cloudwatch-agent`,
    },
    awsLimit: {
      reason: 'a target group name fits AWS\'s 32 characters',
      got: awsName(target('orders-production-europe-west-x7k2p'), 'tg', 32),
      want: 'orders-production-euro-166e20-tg',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { reason, got, want }) => {
    expect(got, reason).toBe(want);
  });

  it('keeps hashed names distinct per key and per XR', () => {
    const long = target('x'.repeat(70));
    const names = new Set([resourceName(long, 'a'), resourceName(long, 'b'), resourceName(target('y'.repeat(70)), 'a')]);
    expect([...names].every((n) => n.length <= 63)).toBe(true);
    expect(names.size).toBe(3);
  });
});
