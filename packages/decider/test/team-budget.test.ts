import { describe, expect, it } from 'vitest';
import type { CostControl, Quotas, TeamMember } from '@scia/api';
import { ahead, checkTeam, teamTotals, usageOf } from '@scia/decider';

const vm = (name: string, createdAt: string, estimatedMonthly: number | undefined, maxSize = 2): TeamMember => ({
  name,
  createdAt,
  ...(estimatedMonthly === undefined ? {} : { estimatedMonthly }),
  strategy: 'vm',
  config: { minSize: 1, desiredCapacity: 1, maxSize },
});
const mine = (name: string, createdAt: string, estimatedMonthly: number, maxSize = 2): TeamMember & { estimatedMonthly: number } => ({
  ...vm(name, createdAt, estimatedMonthly, maxSize),
  estimatedMonthly,
});
const hard: CostControl = { monthlyBudget: 100, alertThreshold: 0.8, enforcementMode: 'hard' };
const soft: CostControl = { ...hard, enforcementMode: 'soft' };

describe('usageOf', () => {
  const cases: Record<string, { reason: string; m: TeamMember; want: ReturnType<typeof usageOf> }> = {
    vm: { reason: 'a vm strategy runs maxSize instances', m: vm('a', '', 1, 3), want: { ec2Instances: 3, eksClusters: 0, lambdaFunctions: 0 } },
    kubernetes: {
      reason: 'a kubernetes strategy runs one cluster and maxNodes nodes',
      m: { name: 'k', createdAt: '', strategy: 'kubernetes', config: { minNodes: 2, maxNodes: 5 } },
      want: { ec2Instances: 5, eksClusters: 1, lambdaFunctions: 0 },
    },
    serverless: { reason: 'a serverless strategy runs one function', m: { name: 's', createdAt: '', strategy: 'serverless' }, want: { ec2Instances: 0, eksClusters: 0, lambdaFunctions: 1 } },
    undecided: { reason: 'a Deployment not decided yet runs nothing', m: { name: 'u', createdAt: '' }, want: { ec2Instances: 0, eksClusters: 0, lambdaFunctions: 0 } },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, m, want }) => {
    expect(usageOf(m), reason).toEqual(want);
  });
});

describe('ahead', () => {
  const cases = {
    older: { reason: 'an older claim is ahead', other: vm('b', '2026-01-01T00:00:00Z', 1), self: mine('a', '2026-01-02T00:00:00Z', 1), want: true },
    newer: { reason: 'a newer claim is not', other: vm('a', '2026-01-03T00:00:00Z', 1), self: mine('b', '2026-01-02T00:00:00Z', 1), want: false },
    tie: { reason: 'at the same second the smaller name is ahead', other: vm('a', '2026-01-01T00:00:00Z', 1), self: mine('b', '2026-01-01T00:00:00Z', 1), want: true },
    unstored: { reason: 'a claim without a timestamp is the newest', other: vm('z', '2026-01-01T00:00:00Z', 1), self: mine('a', '', 1), want: true },
  };
  it.each(Object.entries(cases))('%s', (_, { reason, other, self, want }) => {
    expect(ahead(other, self), reason).toBe(want);
  });
});

describe('checkTeam', () => {
  const t0 = '2026-01-01T00:00:00Z';
  const t1 = '2026-01-02T00:00:00Z';
  const cases: Record<string, { reason: string; self: TeamMember & { estimatedMonthly: number }; others: TeamMember[]; costControl?: CostControl; quotas?: Quotas; want: { refusals: string[]; warnings: string[]; total: number; counted: string[] } }> = {
    fits: {
      reason: 'under the alert threshold: nothing to say',
      self: mine('web', t1, 30),
      others: [vm('api', t0, 40)],
      costControl: hard,
      want: { refusals: [], warnings: [], total: 70, counted: ['api', 'web'] },
    },
    alert: {
      reason: 'past the alert threshold: a Warning with the numbers',
      self: mine('web', t1, 45),
      others: [vm('api', t0, 40)],
      costControl: hard,
      want: { refusals: [], warnings: ['team team-a is past 80% of its monthly budget of $100.00: $45.00/month with $40.00 already counted (1 Deployments) is $85.00'], total: 85, counted: ['api', 'web'] },
    },
    hard: {
      reason: 'over a hard budget: refused with the numbers',
      self: mine('web', t1, 70.5),
      others: [vm('api', t0, 40)],
      costControl: hard,
      want: { refusals: ['team team-a monthly budget of $100.00 exceeded: $70.50/month with $40.00 already counted (1 Deployments) is $110.50'], warnings: [], total: 110.5, counted: ['api', 'web'] },
    },
    soft: {
      reason: 'over a soft budget: a Warning, not a refusal',
      self: mine('web', t1, 70.5),
      others: [vm('api', t0, 40)],
      costControl: soft,
      want: { refusals: [], warnings: ['team team-a monthly budget of $100.00 exceeded: $70.50/month with $40.00 already counted (1 Deployments) is $110.50'], total: 110.5, counted: ['api', 'web'] },
    },
    newerNotCounted: {
      reason: 'a newer Deployment never counts against an older one',
      self: mine('api', t0, 40),
      others: [vm('web', t1, 70.5)],
      costControl: hard,
      want: { refusals: [], warnings: [], total: 40, counted: ['api'] },
    },
    undecided: {
      reason: 'a Deployment with no estimate yet costs nothing yet and is not listed',
      self: mine('web', t1, 85),
      others: [vm('api', t0, undefined)],
      costControl: hard,
      want: { refusals: [], warnings: ['team team-a is past 80% of its monthly budget of $100.00: $85.00/month with $0.00 already counted (0 Deployments) is $85.00'], total: 85, counted: ['web'] },
    },
    quota: {
      reason: 'over a quota: refused, naming it and the counts',
      self: mine('web', t1, 10, 3),
      others: [vm('api', t0, 10, 2)],
      quotas: { maxEc2Instances: 4 },
      want: { refusals: ['team team-a quota maxEc2Instances is 4 EC2 instances: this Deployment runs 3 at its maximum scale, 2 already counted'], warnings: [], total: 20, counted: ['api', 'web'] },
    },
  };
  it.each(Object.entries(cases))('%s', (_, c) => {
    const got = checkTeam(c.self, c.others, { costControl: c.costControl, quotas: c.quotas }, 'team-a');
    expect({ refusals: got.refusals, warnings: got.warnings, total: got.totals.estimatedMonthly, counted: got.totals.counted }, c.reason).toEqual(c.want);
  });
});

describe('teamTotals', () => {
  it('sums estimates and usage of the Deployments that have one', () => {
    expect(teamTotals([vm('a', '', 10.111), vm('b', '', 20.222, 3), vm('c', '', undefined)])).toEqual({
      estimatedMonthly: 30.33,
      usage: { ec2Instances: 5, eksClusters: 0, lambdaFunctions: 0 },
      counted: ['a', 'b'],
    });
  });
});
