import type { Weights } from './records.js';

/** RECENCY_HALF_LIFE_DAYS: a case's recency term halves every 90 days. */
export const RECENCY_HALF_LIFE_DAYS = 90;
/** COST_REFERENCE_USD: with no budget, a case costing this much a month scores 0.5 on cost. */
export const COST_REFERENCE_USD = 100;

/** Candidate is a case as the database returned it, before re-ranking. */
export interface Candidate {
  id: string;
  distance: number;
  feedback: number;
  costMonthly: number | undefined;
  recordedAt: Date;
}

export interface ScoreParts {
  similarity: number;
  feedback: number;
  recency: number;
  cost: number;
}

export interface Ranked<C extends Candidate> {
  candidate: C;
  similarity: number;
  score: number;
  scoreParts: ScoreParts;
}

/**
 * scoreParts computes each re-ranking term in 0..1: similarity is 1 - cosine
 * distance; feedback maps -1, 0, +1 to 0, 0.5, 1; recency halves every 90 days
 * from `now`; cost is 1 - cost/budget within a budget, else 100/(100 + cost),
 * and 0.5 when unknown.
 */
export function scoreParts(c: Candidate, now: Date, budgetMonthly: number | undefined): ScoreParts {
  const ageDays = Math.max(0, (now.getTime() - c.recordedAt.getTime()) / 86_400_000);
  return {
    similarity: clamp(1 - c.distance),
    feedback: clamp((c.feedback + 1) / 2),
    recency: clamp(Math.pow(0.5, ageDays / RECENCY_HALF_LIFE_DAYS)),
    cost: costTerm(c.costMonthly, budgetMonthly),
  };
}

function costTerm(cost: number | undefined, budget: number | undefined): number {
  if (cost === undefined) return 0.5;
  if (budget !== undefined) return clamp(1 - cost / budget);
  return clamp(COST_REFERENCE_USD / (COST_REFERENCE_USD + cost));
}

/**
 * rerank orders candidates by the weighted sum of their score parts, highest
 * first, ties broken by similarity then id, and keeps the first k.
 */
export function rerank<C extends Candidate>(
  candidates: readonly C[],
  opts: { weights: Weights; now: Date; budgetMonthly?: number | undefined; k: number },
): Ranked<C>[] {
  const w = opts.weights;
  return candidates
    .map((candidate) => {
      const parts = scoreParts(candidate, opts.now, opts.budgetMonthly);
      const score = w.similarity * parts.similarity + w.feedback * parts.feedback + w.recency * parts.recency + w.cost * parts.cost;
      return { candidate, similarity: parts.similarity, score: round(score), scoreParts: roundParts(parts) };
    })
    .sort((a, b) => b.score - a.score || b.similarity - a.similarity || compareIds(a.candidate.id, b.candidate.id))
    .slice(0, opts.k);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

// Rounded so that the same rows give byte-identical context on every reconcile.
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function roundParts(p: ScoreParts): ScoreParts {
  return { similarity: round(p.similarity), feedback: round(p.feedback), recency: round(p.recency), cost: round(p.cost) };
}
