import { canonicalHash, type DeploymentSpec } from '@scia/api';
import { PROMPT_VERSION } from './prompt.js';

/** MODEL_NONE is the model name in a decision's inputs when no model is configured (the rules decide). */
export const MODEL_NONE = 'none';

/**
 * decisionInputs is exactly what a decision depends on, and so what its hash
 * covers: the analysed commit (the spec's ref when there is no analysis), the
 * claim's prompt, strategy, region, budget and policies (sorted and
 * deduplicated: their order means nothing), its service overrides when it
 * has any (`spec.services`: they change the services plan and what a budget
 * must fit), the model's name (MODEL_NONE for the rules) and the decider's
 * PROMPT_VERSION. Nothing else may change it.
 */
export function decisionInputs(spec: DeploymentSpec, commit: string, model: string): Record<string, unknown> {
  return {
    commit,
    prompt: spec.prompt,
    strategy: spec.strategy,
    region: spec.region,
    budget: spec.budget ?? null,
    policies: [...new Set(spec.policies)].sort(),
    ...(spec.services === undefined ? {} : { services: spec.services }),
    model,
    promptVersion: PROMPT_VERSION,
  };
}

/**
 * decisionInputHash is the sha256 (hex) of the canonical JSON of
 * decisionInputs. It is the one definition of "the decision for these
 * inputs": the decide step pins and caches by it, and the retrieve step uses
 * it to tell that a decision is pinned and no search is needed.
 */
export function decisionInputHash(spec: DeploymentSpec, commit: string, model: string): string {
  return canonicalHash(decisionInputs(spec, commit, model));
}
