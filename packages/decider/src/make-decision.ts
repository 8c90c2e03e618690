import { DeploymentConfig, type Alternative, type CitedCase, type CostItem, type DecidedBy, type Decision, type DecisionEvidence, type ServicePlan, type Strategy } from '@scia/api';
import { canonicalPlan } from './services.js';

/** CONFIG_FIELDS are the configuration fields each strategy reads (port is common). */
export const CONFIG_FIELDS: Readonly<Record<Strategy, readonly (keyof DeploymentConfig)[]>> = {
  vm: ['instanceType', 'volumeSizeGb', 'minSize', 'maxSize', 'desiredCapacity', 'port'],
  kubernetes: ['nodeInstanceType', 'minNodes', 'maxNodes', 'desiredNodes', 'replicas', 'kubernetesVersion', 'volumeSizeGb', 'port'],
  serverless: ['memoryMb', 'timeoutSeconds', 'port'],
};

const CONFIG_ORDER = Object.keys(DeploymentConfig.shape) as (keyof DeploymentConfig)[];

/** strategyConfig keeps only the fields `strategy` reads, in schema order, dropping undefined ones. */
export function strategyConfig(strategy: Strategy, config: DeploymentConfig): DeploymentConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_ORDER) {
    if (CONFIG_FIELDS[strategy].includes(key) && config[key] !== undefined) out[key] = config[key];
  }
  return out;
}

export interface DecisionParts {
  strategy: Strategy;
  reason: string;
  confidence: number;
  config: DeploymentConfig;
  alternativeStrategies: readonly Alternative[];
  estimatedMonthlyCost: number;
  costBreakdown: readonly CostItem[];
  decidedBy: DecidedBy;
  inputHash: string;
  citedCases: readonly string[];
  cases?: readonly CitedCase[] | undefined;
  model?: string | undefined;
  promptVersion?: string | undefined;
  attempt?: number | undefined;
  evidence?: DecisionEvidence | undefined;
  services?: readonly ServicePlan[] | undefined;
}

/**
 * makeDecision builds a Decision with its keys in one fixed order, so a decision
 * made now and the same decision read back from a pinned status serialize to the
 * same bytes.
 */
export function makeDecision(p: DecisionParts): Decision {
  const decision: Decision = {
    strategy: p.strategy,
    reason: p.reason.length <= 2000 ? p.reason : `${p.reason.slice(0, 1999)}…`,
    confidence: p.confidence,
    config: strategyConfig(p.strategy, p.config),
    alternativeStrategies: p.alternativeStrategies.map((a) => ({
      strategy: a.strategy,
      reason: a.reason.length <= 1000 ? a.reason : `${a.reason.slice(0, 999)}…`,
      confidence: a.confidence,
      ...(a.estimatedMonthlyCost === undefined ? {} : { estimatedMonthlyCost: a.estimatedMonthlyCost }),
    })),
    estimatedMonthlyCost: p.estimatedMonthlyCost,
    costBreakdown: p.costBreakdown.map((c) => ({ item: c.item, monthly: c.monthly })),
    decidedBy: p.decidedBy,
    inputHash: p.inputHash,
    citedCases: [...p.citedCases],
  };
  if (p.cases !== undefined && p.cases.length > 0) decision.cases = p.cases.slice(0, 8).map((c) => ({ ...c, causes: [...c.causes] }));
  if (p.model !== undefined) decision.model = p.model;
  if (p.promptVersion !== undefined) decision.promptVersion = p.promptVersion;
  if (p.attempt !== undefined && p.attempt > 1) decision.attempt = p.attempt;
  if (p.evidence !== undefined && (p.evidence.cases !== '' || p.evidence.failures.length > 0)) decision.evidence = p.evidence;
  if (p.services !== undefined && p.services.length > 0) decision.services = p.services.map(canonicalPlan);
  return decision;
}

/** describeConfig names a configuration's size in a few words: `2 x t3.small`, `3 x t3.medium nodes`, `512 MB`. */
export function describeConfig(strategy: Strategy, config: DeploymentConfig): string {
  if (strategy === 'vm') return `${config.desiredCapacity ?? config.minSize ?? 1} x ${config.instanceType ?? 'default'}`;
  if (strategy === 'kubernetes') {
    const n = config.desiredNodes ?? config.minNodes ?? 2;
    return `${n} x ${config.nodeInstanceType ?? 'default'} node${n === 1 ? '' : 's'}`;
  }
  return `${config.memoryMb ?? 512} MB`;
}

