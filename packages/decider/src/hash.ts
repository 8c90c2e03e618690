import { createHash } from 'node:crypto';
import type { DeploymentSpec } from '@scia/api';

/** DecisionHashInput is exactly what a decision depends on; nothing else may change it. */
export interface DecisionHashInput {
  commit: string;
  prompt: string;
  strategy: string;
  region: string;
  budget?: { maxMonthlyCost?: number | undefined; alertThreshold?: number | undefined; enforcementMode?: string | undefined } | undefined;
  policies: readonly string[];
  model: string;
  promptVersion: string;
}

/**
 * decisionInputHash is the sha256 (hex) of the canonical JSON of a decision's
 * inputs: keys sorted, undefined fields dropped, policies sorted and deduplicated
 * (their order means nothing). Every step that asks "is the decision pinned?"
 * computes it with this function.
 */
export function decisionInputHash(input: DecisionHashInput): string {
  const value = {
    commit: input.commit,
    prompt: input.prompt,
    strategy: input.strategy,
    region: input.region,
    budget: input.budget ?? null,
    policies: [...new Set(input.policies)].sort(),
    model: input.model,
    promptVersion: input.promptVersion,
  };
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** canonicalJson serializes `value` with object keys sorted at every depth and undefined fields dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** MODEL_NONE is the model name in a decision's inputs when no model is configured (the rules decide). */
export const MODEL_NONE = 'none';

/**
 * claimInputHash is decisionInputHash for a claim: `commit` is the analysed
 * commit (the spec's ref when there is no analysis), `model` the configured
 * model's name or MODEL_NONE, `promptVersion` the decider's PROMPT_VERSION.
 * The decide and retrieve steps both call it, so they agree on what is pinned.
 */
export function claimInputHash(spec: DeploymentSpec, commit: string, model: string, promptVersion: string): string {
  return decisionInputHash({
    commit,
    prompt: spec.prompt,
    strategy: spec.strategy,
    region: spec.region,
    budget: spec.budget,
    policies: spec.policies,
    model,
    promptVersion,
  });
}
