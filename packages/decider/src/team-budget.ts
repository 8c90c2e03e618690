import type { CostControl, Quotas, TeamMember, TeamUsage } from '@scia/api';
import { ASSUMPTIONS, atMaximumScale } from './cost.js';

/** NO_USAGE is what a team runs before any Deployment is decided. */
export const NO_USAGE: TeamUsage = { ec2Instances: 0, eksClusters: 0, lambdaFunctions: 0 };

/**
 * usageOf is what one Deployment runs at its autoscaler's maximum: a vm
 * strategy's instances, a kubernetes strategy's cluster and nodes, a serverless
 * strategy's function. A Deployment not decided yet runs nothing.
 */
export function usageOf(m: Pick<TeamMember, 'strategy' | 'config'>): TeamUsage {
  if (m.strategy === undefined) return NO_USAGE;
  const config = atMaximumScale(m.strategy, m.config ?? {});
  switch (m.strategy) {
    case 'vm':
      return { ...NO_USAGE, ec2Instances: config.desiredCapacity ?? config.minSize ?? 1 };
    case 'kubernetes':
      return { ...NO_USAGE, eksClusters: 1, ec2Instances: config.desiredNodes ?? config.minNodes ?? ASSUMPTIONS.defaults.nodes };
    case 'serverless':
      return { ...NO_USAGE, lambdaFunctions: 1 };
  }
}

/** addUsage sums usages. */
export function addUsage(a: TeamUsage, b: TeamUsage): TeamUsage {
  return { ec2Instances: a.ec2Instances + b.ec2Instances, eksClusters: a.eksClusters + b.eksClusters, lambdaFunctions: a.lambdaFunctions + b.lambdaFunctions };
}

/** TeamTotals is what a set of Deployments costs and runs together. */
export interface TeamTotals {
  estimatedMonthly: number;
  usage: TeamUsage;
  counted: string[];
}

/** teamTotals sums the members' estimates and usage; members with no estimate yet count for nothing and are not listed. */
export function teamTotals(members: readonly TeamMember[]): TeamTotals {
  let estimatedMonthly = 0;
  let usage = NO_USAGE;
  const counted: string[] = [];
  for (const m of members) {
    if (m.estimatedMonthly === undefined) continue;
    estimatedMonthly += m.estimatedMonthly;
    usage = addUsage(usage, usageOf(m));
    counted.push(m.name);
  }
  return { estimatedMonthly: round2(estimatedMonthly), usage, counted };
}

/**
 * ahead tells whether `other` keeps its place before `self` in the team's
 * budget: it was created earlier (RFC 3339 UTC timestamps compare as text),
 * or at the same second with a smaller name. A claim with no timestamp yet is
 * the newest.
 */
export function ahead(other: Pick<TeamMember, 'name' | 'createdAt'>, self: Pick<TeamMember, 'name' | 'createdAt'>): boolean {
  if (other.createdAt === self.createdAt) return other.name < self.name;
  if (other.createdAt === '') return false;
  if (self.createdAt === '') return true;
  return other.createdAt < self.createdAt;
}

/** TeamVerdict is what a Deployment's team budget and quotas say of it. */
export interface TeamVerdict {
  /** refusals are hard limits this Deployment breaks: the step stops with a Fatal naming them. */
  refusals: string[];
  /** warnings are soft limits broken, or the alert threshold passed. */
  warnings: string[];
  /** totals are the team's, this Deployment and those ahead of it counted. */
  totals: TeamTotals;
}

const QUOTAS: Array<{ quota: keyof Quotas; use: keyof TeamUsage; what: string }> = [
  { quota: 'maxEc2Instances', use: 'ec2Instances', what: 'EC2 instances' },
  { quota: 'maxEksClusters', use: 'eksClusters', what: 'EKS clusters' },
  { quota: 'maxLambdaFunctions', use: 'lambdaFunctions', what: 'Lambda functions' },
];

/**
 * checkTeam counts `self` with the team's Deployments ahead of it (see ahead)
 * and checks the total against the team's monthly budget and quotas. Newer
 * Deployments are never counted against an older one, so a Deployment that
 * fits keeps fitting whatever the team applies later; quotas are always hard
 * (the cloud account's limits), the budget is hard or soft as costControl says.
 * Guarantee under concurrency: every step counts what the others' statuses
 * say on each reconcile, so two claims that raced past the budget on their
 * first reconcile (each before the other had an estimate) are both counted on
 * the next one, and the newer of the two is refused (hard) or warned (soft).
 */
export function checkTeam(
  self: TeamMember & { estimatedMonthly: number },
  others: readonly TeamMember[],
  limits: { costControl?: CostControl | undefined; quotas?: Quotas | undefined },
  team: string,
): TeamVerdict {
  const before = others.filter((o) => o.name !== self.name && ahead(o, self));
  const totals = teamTotals([...before, self]);
  const refusals: string[] = [];
  const warnings: string[] = [];
  const mine = usageOf(self);
  for (const q of QUOTAS) {
    const max = limits.quotas?.[q.quota];
    if (max === undefined || totals.usage[q.use] <= max) continue;
    refusals.push(`team ${team} quota ${q.quota} is ${max} ${q.what}: this Deployment runs ${mine[q.use]} at its maximum scale, ${totals.usage[q.use] - mine[q.use]} already counted`);
  }
  const cc = limits.costControl;
  if (cc !== undefined) {
    const already = round2(totals.estimatedMonthly - self.estimatedMonthly);
    const numbers = `$${fmt(self.estimatedMonthly)}/month with $${fmt(already)} already counted (${before.filter((o) => o.estimatedMonthly !== undefined).length} Deployments) is $${fmt(totals.estimatedMonthly)}`;
    if (totals.estimatedMonthly > cc.monthlyBudget) {
      const message = `team ${team} monthly budget of $${fmt(cc.monthlyBudget)} exceeded: ${numbers}`;
      (cc.enforcementMode === 'hard' ? refusals : warnings).push(message);
    } else if (totals.estimatedMonthly > cc.monthlyBudget * cc.alertThreshold) {
      warnings.push(`team ${team} is past ${Math.round(cc.alertThreshold * 100)}% of its monthly budget of $${fmt(cc.monthlyBudget)}: ${numbers}`);
    }
  }
  return { refusals, warnings, totals };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function fmt(n: number): string {
  return n.toFixed(2);
}
