import type { CaseNode, DetailNode, RowNode, UpdatesData } from './operations.js';
import type { CitedCase, DeploymentDetail, DeploymentRow, Phase } from '../model/types.js';
import { PHASES } from '../model/types.js';
import type { RowChange } from '../model/overview.js';

/** toRow turns an API Deployment into an overview row: the decided strategy wins over the requested one. */
export function toRow(n: RowNode): DeploymentRow {
  return {
    id: n.id,
    namespace: n.namespace,
    name: n.name,
    phase: toPhase(n.phase),
    strategy: n.decision?.strategy ?? (n.spec.strategy === 'auto' ? null : n.spec.strategy),
    monthlyCost: n.cost?.estimatedMonthly ?? null,
    budget: n.spec.budget?.maxMonthlyCost ?? null,
    endpoint: n.endpoints[0]?.url ?? null,
    createdAt: n.createdAt,
  };
}

function toPhase(p: string | null): Phase | null {
  return (PHASES as readonly string[]).includes(p ?? '') ? (p as Phase) : null;
}

/** toChange turns a subscription event into the change it makes to the overview's rows. */
export function toChange(e: UpdatesData['deploymentUpdated']): RowChange {
  return e.type === 'DELETED' ? { type: 'delete', id: e.deployment.id } : { type: 'upsert', row: toRow(e.deployment) };
}

function toCase(c: CaseNode, similarity: number | null): CitedCase {
  return {
    id: c.id,
    name: c.name,
    framework: c.framework,
    language: c.language,
    strategy: c.strategy,
    similarity,
    outcome: c.outcome,
    failureReason: c.failureReason,
    feedback: c.feedback,
    feedbackComment: c.feedbackComment,
    monthlyCost: c.costMonthly,
    shared: c.shared,
  };
}

/**
 * citedCases lists the cases a decision cites, in the order it cites them. A
 * case read back by id carries no similarity; the search's own score for the
 * same case (similarCases) fills it in when the search still finds it.
 */
export function citedCases(cited: readonly CaseNode[], ids: readonly string[], similar: readonly CaseNode[]): CitedCase[] {
  const found = new Map(similar.map((c) => [c.id, c.similarity]));
  const order = new Map(ids.map((id, i) => [id, i]));
  return [...cited]
    .sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity))
    .map((c) => toCase(c, c.similarity ?? found.get(c.id) ?? null));
}

/** casesOf maps cases found by a search, keeping their similarity. */
export function casesOf(cases: readonly CaseNode[]): CitedCase[] {
  return cases.map((c) => toCase(c, c.similarity));
}

/** toDetail turns an API Deployment into everything the deployment view shows. */
export function toDetail(n: DetailNode): DeploymentDetail {
  const d = n.decision;
  return {
    ...toRow({ ...n, endpoints: n.endpoints }),
    message: n.message,
    repository: n.spec.repository.url,
    ref: n.spec.repository.ref,
    prompt: n.spec.prompt,
    region: n.spec.region,
    policies: n.spec.policies,
    endpoints: n.endpoints.map((e) => e.url),
    decision:
      d === null
        ? null
        : {
            strategy: d.strategy,
            reason: d.reason,
            confidence: d.confidence,
            decidedBy: d.decidedBy,
            model: d.model,
            alternatives: d.alternatives.map((a) => ({ strategy: a.strategy, reason: a.reason, confidence: a.confidence, monthlyCost: a.estimatedMonthlyCost })),
            cases: citedCases(d.citedCases, d.citedCaseIds, n.similarCases),
          },
    similar: casesOf(n.similarCases),
    costBreakdown: n.cost?.breakdown ?? [],
    budgetUse: n.cost?.budgetUse ?? null,
    resources: n.resources,
    history: n.history,
    events: n.events.map((e) => ({ type: e.type, reason: e.reason, message: e.message, at: e.lastSeen, count: e.count })),
    feedback: n.feedback === null ? null : { value: n.feedback.value < 0 ? -1 : 1, comment: n.feedback.comment },
  };
}
