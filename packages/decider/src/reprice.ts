import type { Decision, DeploymentSpec } from '@scia/api';
import { estimateMonthlyCost } from './cost.js';
import { makeDecision, strategyConfig } from './make-decision.js';
import { applyPolicies } from './policies.js';
import { overridePlan } from './services.js';

/**
 * reprice re-applies the claim's overrides, policies and service overrides
 * (`spec.services`, see overridePlan) to a decision and prices it again, its
 * services with it. It is idempotent, so a decision made now and the same
 * decision read back from a pinned status come out identical, and an
 * override changed since the decision was pinned still wins.
 */
export function reprice(decision: Decision, spec: DeploymentSpec): Decision {
  const overrides = spec.overrides === undefined ? {} : strategyConfig(decision.strategy, spec.overrides);
  const config = applyPolicies(decision.strategy, { ...decision.config, ...overrides }, spec.policies);
  const services = (decision.services ?? []).map((p) => overridePlan(p, spec.services?.[p.kind], spec.region));
  const cost = estimateMonthlyCost(decision.strategy, config, { region: spec.region, policies: spec.policies, services: () => services });
  return makeDecision({ ...decision, config, estimatedMonthlyCost: cost.total, costBreakdown: cost.breakdown, services });
}
