import type { Budget, DeploymentConfig, Policy, Strategy } from '@scia/api';
import { DOWNSIZE_LADDER, INSTANCE_TYPES, LAMBDA_MEMORY_STEPS, LIMITS, isInstanceType } from './catalogue.js';
import { atMaximumScale, estimateMaximumMonthlyCost, estimateMonthlyCost } from './cost.js';
import { applyPolicies } from './policies.js';
import { PRICING } from './pricing.js';

/** BudgetVerdict says whether an estimate passed the budget's alert threshold. */
export interface BudgetVerdict {
  exceeded: boolean;
  message: string;
}

/**
 * checkBudget compares an estimate with `alertThreshold` × `maxMonthlyCost`.
 * Undefined when the claim sets no budget.
 */
export function checkBudget(estimate: number, budget: Budget | undefined): BudgetVerdict | undefined {
  if (budget?.maxMonthlyCost === undefined) return undefined;
  const limit = Math.round(budget.alertThreshold * budget.maxMonthlyCost * 100) / 100;
  const exceeded = estimate > limit;
  const message = exceeded
    ? `estimated $${estimate.toFixed(2)}/month passes ${Math.round(budget.alertThreshold * 100)}% of the $${budget.maxMonthlyCost} budget ($${limit.toFixed(2)})`
    : `estimated $${estimate.toFixed(2)}/month is within ${Math.round(budget.alertThreshold * 100)}% of the $${budget.maxMonthlyCost} budget`;
  return { exceeded, message };
}

/** Candidate is a strategy and configuration a hard budget may settle on. */
export interface Candidate {
  strategy: Strategy;
  config: DeploymentConfig;
}

/**
 * fitHardBudget returns the first candidate, in preference order, whose cost
 * at the autoscaler's maximum (`ceiling`) is at most `max`: for each strategy,
 * its configuration, then cheaper ones (the instance or node count kept and
 * smaller types first, then a lower maximum), then the next strategy. Only
 * configurations `keep` accepts count (all by default: the decider passes the
 * app's floor, so a budget never sizes an app below what it needs).
 * `estimate` is its expected cost, at the desired count. Undefined when nothing fits.
 */
export function fitHardBudget(
  preferred: readonly Candidate[],
  max: number,
  ctx: { region: string; policies: readonly Policy[] },
  keep: (strategy: Strategy, config: DeploymentConfig) => boolean = () => true,
): { candidate: Candidate; estimate: number; ceiling: number } | undefined {
  for (const c of preferred) {
    for (const config of cheaperConfigs(c.strategy, c.config)) {
      const shaped = applyPolicies(c.strategy, config, ctx.policies);
      if (!keep(c.strategy, shaped)) continue;
      const ceiling = estimateMaximumMonthlyCost(c.strategy, shaped, ctx).total;
      if (ceiling <= max) return { candidate: { strategy: c.strategy, config: shaped }, estimate: estimateMonthlyCost(c.strategy, shaped, ctx).total, ceiling };
    }
  }
  return undefined;
}

/**
 * cheaperConfigs lists `config` and then every cheaper variant the ladder
 * allows, most capable first: for each maximum count n from the configured
 * maximum down to 1, each type at or below the configured one, with the
 * maximum set to n and the desired and minimum counts capped by it.
 */
export function cheaperConfigs(strategy: Strategy, config: DeploymentConfig): DeploymentConfig[] {
  if (strategy === 'serverless') {
    const memory = config.memoryMb ?? 512;
    return [config, ...[...LAMBDA_MEMORY_STEPS].reverse().filter((m) => m < memory).map((memoryMb) => ({ ...config, memoryMb }))];
  }
  const typeKey = strategy === 'vm' ? 'instanceType' : 'nodeInstanceType';
  const minMemory = strategy === 'kubernetes' ? LIMITS.kubernetes.minNodeMemoryGib : 0;
  const types = typesAtOrBelow(config[typeKey], minMemory);
  const top = atMaximumScale(strategy, config);
  const counts = countsDown((strategy === 'vm' ? top.desiredCapacity : top.desiredNodes) ?? 1);
  const out: DeploymentConfig[] = [config];
  for (const n of counts) {
    for (const t of types) {
      out.push(strategy === 'vm'
        ? { ...config, instanceType: t, desiredCapacity: Math.min(config.desiredCapacity ?? n, n), minSize: Math.min(config.minSize ?? n, n), maxSize: n }
        : { ...config, nodeInstanceType: t, desiredNodes: Math.min(config.desiredNodes ?? n, n), minNodes: Math.min(config.minNodes ?? n, n), maxNodes: n });
    }
  }
  return out;
}

function typesAtOrBelow(current: string | undefined, minMemoryGib: number): string[] {
  const price = (t: string): number => (isInstanceType(t) ? PRICING.ec2HourlyUsEast1[t] : Infinity);
  const ceiling = current === undefined ? Infinity : price(current);
  const cheaper = DOWNSIZE_LADDER.filter((t) => price(t) <= ceiling && t !== current && INSTANCE_TYPES[t].memoryGib >= minMemoryGib);
  return current === undefined ? cheaper : [current, ...cheaper];
}

function countsDown(from: number): number[] {
  const out: number[] = [];
  for (let n = Math.max(1, from); n >= 1; n--) out.push(n);
  return out;
}
