import type { DecidedBy, DeploymentConfig, Strategy } from '@scia/api';
import type { LlmAnswer } from './answer.js';
import { excerpt } from './excerpt.js';
import type { Facts } from './facts.js';
import { strategyConfig } from './make-decision.js';
import { explainRules, type RulesVerdict } from './rules-decider.js';
import { meetLessons, usableMb } from './learning/lessons.js';
import { floorMb, gpuOf, sizeFor } from './sizing.js';

/** typeOf is the sizing field of a configuration that sets its memory: the instance or node type, or the Lambda's memory. */
function typeOf(strategy: Strategy, c: DeploymentConfig): DeploymentConfig {
  if (strategy === 'vm') return { instanceType: c.instanceType };
  if (strategy === 'kubernetes') return { nodeInstanceType: c.nodeInstanceType };
  return { memoryMb: c.memoryMb };
}

/** Proposal is a decision before policies, overrides, cost and budget are applied. */
export interface Proposal {
  strategy: Strategy;
  config: DeploymentConfig;
  reason: string;
  confidence: number;
  decidedBy: DecidedBy;
  alternatives: { strategy: Strategy; reason: string; confidence: number }[];
  cites: string[];
  /** sizedFrom names the cases the size follows. */
  sizedFrom?: string[];
}

/** fromRules proposes the rules' best strategy, sized by the rules. */
export function fromRules(facts: Facts, verdict: RulesVerdict): Proposal {
  const [best, ...rest] = verdict.ranked;
  const strategy = best?.strategy ?? 'vm';
  const sized = sizeFor(strategy, facts);
  const notes = sized.notes.length === 0 ? '' : `; sizing: ${sized.notes.join('; ')}`;
  return {
    strategy,
    config: sized.config,
    reason: `${explainRules(verdict, strategy)}${notes}`,
    confidence: best?.confidence ?? 0.5,
    decidedBy: 'rules',
    alternatives: rest.map((r) => ({ strategy: r.strategy, reason: `rules score ${r.score} against ${best?.score ?? 0}`, confidence: r.confidence })),
    cites: verdict.cites,
    sizedFrom: sized.sizedFrom ?? [],
  };
}

/** fromUser honours the claim's `spec.strategy` and only sizes it. */
export function fromUser(strategy: Strategy, facts: Facts, verdict: RulesVerdict): Proposal {
  const sized = sizeFor(strategy, facts);
  const notes = sized.notes.length === 0 ? '' : ` (${sized.notes.join('; ')})`;
  return {
    strategy,
    config: sized.config,
    reason: `spec.strategy asks for ${strategy}; sized by the rules${notes}`,
    confidence: 1,
    decidedBy: 'user',
    alternatives: verdict.ranked
      .filter((r) => r.strategy !== strategy)
      .map((r) => ({ strategy: r.strategy, reason: `rules score ${r.score}`, confidence: r.confidence })),
    cites: [],
    sizedFrom: sized.sizedFrom ?? [],
  };
}

export type Clamped = { ok: true; value: Proposal } | { ok: false; error: string };

/**
 * fromModel turns a validated model answer into a proposal: only the chosen
 * strategy's fields are kept, missing sizes come from the rules, unknown case
 * ids are dropped, and a strategy the app cannot run on is rejected.
 */
export function fromModel(answer: LlmAnswer, model: string, facts: Facts, verdict: RulesVerdict): Clamped {
  const strategy = answer.strategy;
  const unfit = unfitFor(strategy, facts);
  if (unfit !== undefined) return { ok: false, error: `model ${model} chose ${strategy}, but ${unfit}` };
  const sized = sizeFor(strategy, facts).config;
  const proposed = meetLessons(strategy, { ...sized, ...strategyConfig(strategy, answer.config) }, facts.lessons).config;
  // The model may not size the app below its own floor: the sized type stands then.
  const config = usableMb(strategy, proposed) >= floorMb(facts) && gpuOf(strategy, proposed) === gpuOf(strategy, sized)
    ? proposed
    : { ...proposed, ...typeOf(strategy, sized) };
  const known = new Set(facts.cases.map((c) => c.id));
  const alternatives = verdict.ranked
    .filter((r) => r.strategy !== strategy)
    .map((r) => {
      const said = answer.alternativeStrategies.find((a) => a.strategy === r.strategy);
      return said === undefined
        ? { strategy: r.strategy, reason: `rules score ${r.score}`, confidence: r.confidence }
        : { strategy: r.strategy, reason: excerpt(said.reason, 500), confidence: said.confidence };
    });
  return {
    ok: true,
    value: {
      strategy,
      config,
      reason: `model ${model}: ${excerpt(answer.reason, 1000)}`,
      confidence: answer.confidence,
      decidedBy: 'llm',
      alternatives,
      cites: [...new Set(answer.citedCases.filter((id) => known.has(id)))],
    },
  };
}

/** unfitFor names why an app cannot run on `strategy`, or undefined when it can. */
export function unfitFor(strategy: Strategy, facts: Facts): string | undefined {
  const avoided = facts.lessons.avoid[strategy];
  if (avoided !== undefined) return `it failed before (${[...new Set(avoided)].slice(0, 3).join('; ')})`;
  if (strategy !== 'serverless') return undefined;
  if (!facts.hasArtifact) return 'the claim has no spec.artifact, and a Lambda function runs only what CI built';
  if (facts.gpu) return 'the app needs a GPU, which Lambda lacks';
  if (facts.websockets) return 'the app holds websockets, which Lambda cannot';
  if (facts.longRunning) return 'the app runs long or background work, past Lambda\'s limits';
  return undefined;
}
