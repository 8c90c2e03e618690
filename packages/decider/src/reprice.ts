import type { Decision, DeploymentSpec } from '@scia/api';
import { estimateMonthlyCost } from './cost.js';
import { makeDecision, strategyConfig } from './make-decision.js';
import { applyPolicies } from './policies.js';
import { needsOfPlan, servicesOf } from './services.js';

/**
 * reprice re-applies the claim's overrides, policies and service overrides
 * (`spec.services`) to a decision, plans its services again from the needs it
 * records, and prices it again. It is idempotent, so a decision made now and
 * the same decision read back from a pinned status come out identical, and an
 * override changed since the decision was pinned still wins.
 */
export function reprice(decision: Decision, spec: DeploymentSpec): Decision {
  const overrides = spec.overrides === undefined ? {} : strategyConfig(decision.strategy, spec.overrides);
  const config = applyPolicies(decision.strategy, { ...decision.config, ...overrides }, spec.policies);
  const services = servicesOf(needsOfPlan(decision.services), spec);
  const cost = estimateMonthlyCost(decision.strategy, config, { region: spec.region, policies: spec.policies, services });
  return makeDecision({ ...decision, config, estimatedMonthlyCost: cost.total, costBreakdown: cost.breakdown, services: services(decision.strategy) });
}
