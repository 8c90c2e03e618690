import { DeploymentStatusDecision, type Decision, type DeploymentSpec } from '@scia/api';
import { PROMPT_VERSION, makeDecision, reprice, withEvidence, type PinnedDecision } from '@scia/decider';

/** statusOf is what the decide step writes to the XR's status for a decision. */
export function statusOf(decision: Decision): Record<string, unknown> {
  return {
    deployment: {
      strategy: decision.strategy,
      reason: decision.reason,
      confidence: decision.confidence,
      alternativeStrategies: decision.alternativeStrategies,
      decidedBy: decision.decidedBy,
      inputHash: decision.inputHash,
      config: decision.config,
      citedCases: decision.citedCases,
      ...(decision.model === undefined ? {} : { model: decision.model }),
      ...(decision.cases === undefined ? {} : { cases: decision.cases }),
      ...(decision.attempt === undefined ? {} : { attempt: decision.attempt }),
      ...(decision.evidence === undefined ? {} : { evidence: decision.evidence }),
      ...(decision.services === undefined ? {} : { services: decision.services }),
    },
    cost: { estimatedMonthly: decision.estimatedMonthlyCost, currency: 'USD', breakdown: decision.costBreakdown },
  };
}

/**
 * pinnedDecision reads the decision pinned in an observed XR status back into a
 * Decision, priced again for `spec`. With `claimHash`, only a decision made for
 * this claim and the evidence it records is returned (see withEvidence).
 */
export function pinnedDecision(status: unknown, spec: DeploymentSpec, claimHash?: string): Decision | undefined {
  if (typeof status !== 'object' || status === null || !('deployment' in status)) return undefined;
  const parsed = DeploymentStatusDecision.safeParse(status.deployment);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  if (claimHash !== undefined && d.inputHash !== withEvidence(claimHash, d.evidence ?? { cases: '', failures: [] })) return undefined;
  return decisionOf(d, spec);
}

/** decisionOf is a pinned decision (status.deployment, read) as a Decision, priced again for `spec`. */
export function decisionOf(d: PinnedDecision, spec: DeploymentSpec): Decision {
  const decision = makeDecision({
    strategy: d.strategy,
    reason: d.reason,
    confidence: d.confidence,
    config: d.config ?? {},
    alternativeStrategies: d.alternativeStrategies,
    estimatedMonthlyCost: 0,
    costBreakdown: [],
    decidedBy: d.decidedBy,
    inputHash: d.inputHash,
    citedCases: d.citedCases,
    cases: d.cases,
    model: d.model,
    attempt: d.attempt,
    evidence: d.evidence,
    services: d.services,
    promptVersion: d.decidedBy === 'llm' ? PROMPT_VERSION : undefined,
  });
  return reprice(decision, spec);
}
