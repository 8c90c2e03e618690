import type { DeploymentConfig, Strategy } from '@scia/api';
import { cheaperConfigs } from './budget.js';
import { LAMBDA_MEMORY_STEPS } from './catalogue.js';
import { estimateMonthlyCost } from './cost.js';
import type { DecideInput, Facts } from './facts.js';
import { usableMb } from './learning/lessons.js';
import { costContext } from './services-input.js';
import { describeConfig } from './make-decision.js';
import { applyPolicies } from './policies.js';
import type { Proposal } from './proposal.js';
import { unfitFor } from './proposal.js';
import { floorMb, gpuOf, sizeFor } from './sizing.js';

/**
 * meetsFloor tells whether a configuration keeps what the app and the prompt
 * require: the app's floor (see floorMb: its own, and twice what it ran out with),
 * a GPU when it needs one, and two instances or nodes when the prompt asks
 * for high availability.
 */
export function meetsFloor(strategy: Strategy, config: DeploymentConfig, f: Facts): boolean {
  if (!meetsNeeds(strategy, config, f)) return false;
  if (!f.keywords.has('high-availability')) return true;
  if (strategy === 'vm') return (config.desiredCapacity ?? config.minSize ?? 1) >= 2;
  if (strategy === 'kubernetes') return (config.desiredNodes ?? config.minNodes ?? 2) >= 2;
  return true;
}

/**
 * meetsNeeds tells whether a configuration gives the app what it needs to run
 * at all: the app's floor in memory (see floorMb) and a GPU when it needs one
 * (and none when it does not). A hard budget never goes below it.
 */
export function meetsNeeds(strategy: Strategy, config: DeploymentConfig, f: Facts): boolean {
  return usableMb(strategy, config) >= floorMb(f) && (f.gpu || f.lessons.gpu) === gpuOf(strategy, config);
}

/**
 * fitSoftBudget re-sizes a proposal whose estimate passes a soft budget to the
 * cheapest configuration that meets the app's floor (see meetsFloor) within
 * it: of its own strategy first, else of the other strategies the app can run
 * on and no lesson rules out. When none fits it keeps the proposal and says so.
 */
export function fitSoftBudget(p: Proposal, max: number, f: Facts, input: DecideInput, shape: (s: Strategy, c: DeploymentConfig) => DeploymentConfig): { proposal: Proposal; warning?: string } {
  const ctx = costContext(input);
  const cost = (s: Strategy, c: DeploymentConfig): number => estimateMonthlyCost(s, c, ctx).total;
  if (cost(p.strategy, p.config) <= max) return { proposal: p };
  const others = p.decidedBy === 'user' ? [] : p.alternatives.map((a) => a.strategy).filter((s) => f.lessons.avoid[s] === undefined && unfitFor(s, f) === undefined);
  for (const strategy of [p.strategy, ...others]) {
    const start = strategy === p.strategy ? p.config : shape(strategy, raiseToFloor(strategy, sizeFor(strategy, f).config, f));
    const fitting = cheaperConfigs(strategy, start)
      .map((c) => applyPolicies(strategy, c, ctx.policies))
      .filter((c) => meetsFloor(strategy, c, f) && cost(strategy, c) <= max)
      .sort((a, b) => cost(strategy, a) - cost(strategy, b));
    const best = fitting[0];
    if (best === undefined) continue;
    const change = strategy === p.strategy ? `re-sized ${p.strategy}` : `switched from ${p.strategy} to ${strategy}`;
    const note = `soft budget $${max}/month: ${change} to ${describeConfig(strategy, best)}, the cheapest that meets the app's floor ($${cost(strategy, best).toFixed(2)})`;
    return {
      proposal: {
        ...p,
        strategy,
        config: best,
        reason: `${p.reason}; ${note}`,
        alternatives: strategy === p.strategy ? p.alternatives : p.alternatives.filter((a) => a.strategy !== strategy),
      },
    };
  }
  return { proposal: p, warning: `no configuration that meets the app's floor fits the soft budget of $${max}/month; keeping ${p.strategy} ${describeConfig(p.strategy, p.config)}` };
}

/** raiseToFloor gives a Lambda at least the app's floor in memory (instance types are sized to it already). */
function raiseToFloor(strategy: Strategy, config: DeploymentConfig, f: Facts): DeploymentConfig {
  if (strategy !== 'serverless' || (config.memoryMb ?? 512) >= floorMb(f)) return config;
  const memoryMb = LAMBDA_MEMORY_STEPS.find((m) => m >= floorMb(f));
  return memoryMb === undefined ? config : { ...config, memoryMb };
}
