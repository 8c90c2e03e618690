import type { CitedCase, Decision, DeploymentConfig, Strategy } from '@scia/api';
import { cheaperConfigs, fitHardBudget, type Candidate } from './budget.js';
import { estimateMaximumMonthlyCost, estimateMonthlyCost, type CostContext } from './cost.js';
import { deriveFacts, type DecideInput, type Facts } from './facts.js';
import { describeConfig, makeDecision, strategyConfig } from './make-decision.js';
import type { ModelDecider } from './ollama.js';
import { applyPolicies } from './policies.js';
import { PROMPT_VERSION } from './prompt.js';
import { fromModel, fromRules, fromUser, type Proposal } from './proposal.js';
import { buildableStrategies, rankByRules, type RulesVerdict } from './rules-decider.js';
import { sizeFor } from './sizing.js';
import { fitSoftBudget, meetsNeeds } from './soft-budget.js';
import { casesDigest } from './learning/evidence-hash.js';
import { costContext, servicesOfInput } from './services-input.js';
import { describeServices } from './services.js';

export interface DeciderDeps {
  /** model proposes first when present; the rules decide without it or when it fails. */
  model?: ModelDecider | undefined;
}

/** DecideOutcome is a decision with the warnings to report, or the reason nothing may be applied. */
export type DecideOutcome =
  | { ok: true; decision: Decision; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

/**
 * decide makes one decision: the user's strategy sized, or the model's answer
 * clamped to the catalogue, or the rules; then overrides and policies, the cost,
 * and a hard budget (the best configuration within it, or an error).
 */
export async function decide(input: DecideInput, deps: DeciderDeps = {}): Promise<DecideOutcome> {
  const facts = deriveFacts(input);
  const { spec } = input;
  const hard = spec.budget?.enforcementMode === 'hard' ? spec.budget.maxMonthlyCost : undefined;
  const forced = spec.strategy === 'auto' ? undefined : spec.strategy;
  // `auto` never chooses what render-aws cannot build (serverless without an artifact).
  const buildable = forced === undefined ? buildableStrategies(facts) : undefined;
  const verdict = rankByRules(facts, buildable?.allowed, buildable?.excluded);
  const ctx = costContext(input);
  const keep = needsOf(facts, input);
  if (hard !== undefined) {
    const all = (forced === undefined ? verdict.ranked.map((r) => r.strategy) : [forced]).map((s) => candidate(s, facts, input));
    if (fitHardBudget(all, hard, ctx, keep) === undefined) return { ok: false, error: overBudget(hard, all, ctx, keep) + excludedNote(verdict), warnings: [] };
  }
  const warnings: string[] = [];
  const proposal = forced !== undefined ? fromUser(forced, facts, verdict) : await propose(input, facts, verdict, deps, warnings);
  const shaped = { ...proposal, config: shape(proposal.strategy, proposal.config, input) };
  const soft = hard === undefined ? spec.budget?.maxMonthlyCost : undefined;
  const resized = soft === undefined ? { proposal: shaped } : fitSoftBudget(shaped, soft, facts, input, (s, c) => shape(s, c, input));
  if (resized.warning !== undefined) warnings.push(resized.warning);
  const fitted = hard === undefined ? resized.proposal : fitProposal(shaped, hard, facts, input, keep);
  if (fitted === undefined) return { ok: false, error: overBudget(hard ?? 0, [shaped], ctx, keep) + excludedNote(verdict), warnings };
  return { ok: true, decision: finish(fitted, input, facts, deps.model, warnings), warnings };
}

/** excludedNote says which strategies were never candidates, for an error that lists what was considered. */
function excludedNote(verdict: RulesVerdict): string {
  return verdict.excluded.map((e) => `; ${e.why}`).join('');
}

async function propose(input: DecideInput, facts: Facts, verdict: RulesVerdict, deps: DeciderDeps, warnings: string[]): Promise<Proposal> {
  if (deps.model === undefined) return fromRules(facts, verdict);
  const answered = await deps.model.propose(input);
  if (!answered.ok) {
    warnings.push(`${answered.error}; the rules decided`);
    return fromRules(facts, verdict);
  }
  const clamped = fromModel(answered.value.answer, deps.model.model, facts, verdict);
  if (clamped.ok) return clamped.value;
  warnings.push(`cannot use the model's answer: ${clamped.error}; the rules decided`);
  return fromRules(facts, verdict);
}

/** shape applies the claim's overrides (they win) and then its policies. */
function shape(strategy: Strategy, config: DeploymentConfig, input: DecideInput): DeploymentConfig {
  const overrides = input.spec.overrides === undefined ? {} : strategyConfig(strategy, input.spec.overrides);
  return applyPolicies(strategy, { ...config, ...overrides }, input.spec.policies);
}

function candidate(strategy: Strategy, facts: Facts, input: DecideInput): Candidate {
  return { strategy, config: shape(strategy, sizeFor(strategy, facts).config, input) };
}

/**
 * needsOf is what a hard budget may not size below: the app's needs (memory
 * floor, GPU; see meetsNeeds), unless the claim's overrides set the size
 * themselves, which the team's word settles.
 */
function needsOf(facts: Facts, input: DecideInput): (s: Strategy, c: DeploymentConfig) => boolean {
  const o = input.spec.overrides;
  if (o?.instanceType !== undefined || o?.nodeInstanceType !== undefined || o?.memoryMb !== undefined) return () => true;
  return (s, c) => meetsNeeds(s, c, facts);
}

function fitProposal(p: Proposal, max: number, facts: Facts, input: DecideInput, keep: (s: Strategy, c: DeploymentConfig) => boolean): Proposal | undefined {
  const others = p.decidedBy === 'user' ? [] : p.alternatives.map((a) => candidate(a.strategy, facts, input));
  const fit = fitHardBudget([{ strategy: p.strategy, config: p.config }, ...others], max, costContext(input), keep);
  if (fit === undefined) return undefined;
  const { strategy, config } = fit.candidate;
  if (strategy === p.strategy && JSON.stringify(config) === JSON.stringify(p.config)) return p;
  const change = strategy === p.strategy ? `downsized ${p.strategy}` : `switched from ${p.strategy} to ${strategy}`;
  const to = describeConfig(strategy, config);
  return {
    ...p,
    strategy,
    config,
    reason: `${p.reason}; hard budget $${max}/month: ${change} to ${to} to fit ($${fit.ceiling.toFixed(2)} at most)`,
    alternatives: strategy === p.strategy ? p.alternatives : p.alternatives.filter((a) => a.strategy !== strategy),
  };
}

function finish(p: Proposal, input: DecideInput, facts: Facts, model: ModelDecider | undefined, warnings: string[]): Decision {
  const ctx = costContext(input);
  const cost = estimateMonthlyCost(p.strategy, p.config, ctx);
  warnings.push(...cost.warnings);
  const notes = [
    ...(facts.hasAnalysis ? [] : ['no repository analysis: decided from the spec alone']),
  ];
  return makeDecision({
    strategy: p.strategy,
    reason: [p.reason, ...notes].join('; '),
    confidence: p.confidence,
    config: p.config,
    alternativeStrategies: p.alternatives.map((a) => ({
      ...a,
      estimatedMonthlyCost: estimateMonthlyCost(a.strategy, candidate(a.strategy, facts, input).config, ctx).total,
    })),
    estimatedMonthlyCost: cost.total,
    costBreakdown: cost.breakdown,
    decidedBy: p.decidedBy,
    inputHash: input.inputHash,
    citedCases: [...new Set([...p.cites, ...(p.sizedFrom ?? [])])],
    cases: citedCases(p, facts),
    // The model in the input hash, whoever decided: later steps read it to recompute the hash.
    model: model?.model,
    promptVersion: p.decidedBy === 'llm' ? PROMPT_VERSION : undefined,
    attempt: (input.failures?.length ?? 0) + 1,
    evidence: { cases: casesDigest(input.cases), failures: [...(input.failures ?? [])] },
    services: servicesOfInput(input)(p.strategy),
  });
}

/** citedCases details the cases a decision rests on: those its lessons avoid, those it was sized from, those the rules followed. */
function citedCases(p: Proposal, facts: Facts): CitedCase[] {
  const avoid = new Set(facts.lessons.cited.map((c) => c.id));
  const sizing = new Set(p.sizedFrom ?? []);
  const used = (id: string): CitedCase['usedFor'] | undefined => (avoid.has(id) ? 'avoid' : sizing.has(id) ? 'sizing' : p.cites.includes(id) ? 'strategy' : undefined);
  return facts.cases.flatMap((c) => {
    const usedFor = used(c.id);
    if (usedFor === undefined) return [];
    return [{ id: c.id, usedFor, traits: c.similarity, intent: c.scoreParts.intent, outcome: c.outcome, feedback: c.feedback, causes: c.causes }];
  }).slice(0, 8);
}

function overBudget(max: number, candidates: readonly Candidate[], ctx: CostContext, keep: (s: Strategy, c: DeploymentConfig) => boolean): string {
  const floor = candidates
    .flatMap((c) => cheaperConfigs(c.strategy, c.config).map((config) => ({ strategy: c.strategy, config: applyPolicies(c.strategy, config, ctx.policies) })))
    .filter((c) => keep(c.strategy, c.config))
    .map((c) => ({ strategy: c.strategy, what: `${c.strategy}: ${describeConfig(c.strategy, c.config)}`, cost: estimateMaximumMonthlyCost(c.strategy, c.config, ctx).total }))
    .sort((a, b) => a.cost - b.cost)[0];
  const needed = floor === undefined ? '' : describeServices(ctx.services?.(floor.strategy) ?? []);
  const services = needed === '' ? '' : ` with the services the app needs: ${needed}`;
  const cheapest = floor === undefined ? '' : `; the cheapest configuration considered (${floor.what}) costs $${floor.cost.toFixed(2)}/month${services}`;
  return `cannot fit the hard budget of $${max}/month${cheapest}`;
}
