import type { Weights } from './records.js';

/** RECENCY_HALF_LIFE_DAYS: a case's recency term halves every 90 days. */
export const RECENCY_HALF_LIFE_DAYS = 90;
/** COST_REFERENCE_USD: with no budget, a case costing this much a month scores 0.5 on cost. */
export const COST_REFERENCE_USD = 100;

/** Candidate is a case as the database returned it, before re-ranking. */
export interface Candidate {
  id: string;
  /** distance is the cosine distance between the apps' traits vectors. */
  distance: number;
  /** intent is the case's intent tags. */
  intent: readonly string[];
  outcome: string;
  feedback: number;
  costMonthly: number | undefined;
  recordedAt: Date;
  /** strategy and causes name what a negative example teaches (two with the same teach it once). */
  strategy?: string;
  causes?: readonly string[];
}

/** ScoreParts are the re-ranking terms, each in 0..1; `similarity` is the traits term. */
export interface ScoreParts {
  similarity: number;
  intent: number;
  outcome: number;
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

const OUTCOME_TERM: Record<string, number> = { success: 1, degraded: 0.5, failed: 0 };

/**
 * scoreParts computes each re-ranking term in 0..1: similarity is 1 - cosine
 * distance of the apps' traits; intent is the Jaccard index of the intent tags
 * (1 when neither has any); outcome maps success, degraded, failed to 1, 0.5,
 * 0; feedback maps -1, 0, +1 to 0, 0.5, 1; recency halves every 90 days from
 * `now`; cost is 1 - cost/budget within a budget, else 100/(100 + cost), and
 * 0.5 when unknown.
 */
export function scoreParts(c: Candidate, now: Date, query: { intent: readonly string[]; budgetMonthly: number | undefined }): ScoreParts {
  const ageDays = Math.max(0, (now.getTime() - c.recordedAt.getTime()) / 86_400_000);
  return {
    similarity: clamp(1 - c.distance),
    intent: jaccard(c.intent, query.intent),
    outcome: OUTCOME_TERM[c.outcome] ?? 0.5,
    feedback: clamp((c.feedback + 1) / 2),
    recency: clamp(Math.pow(0.5, ageDays / RECENCY_HALF_LIFE_DAYS)),
    cost: costTerm(c.costMonthly, query.budgetMonthly),
  };
}

/** jaccard is |a ∩ b| / |a ∪ b|, and 1 for two empty sets. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  const union = new Set([...left, ...right]).size;
  if (union === 0) return 1;
  return [...left].filter((x) => right.has(x)).length / union;
}

function costTerm(cost: number | undefined, budget: number | undefined): number {
  if (cost === undefined) return 0.5;
  if (budget !== undefined) return clamp(1 - cost / budget);
  return clamp(COST_REFERENCE_USD / (COST_REFERENCE_USD + cost));
}

/** NEGATIVE_SHARE of the k places go first to the most alike negative examples. */
export const NEGATIVE_SHARE = 1 / 3;

/**
 * rerank orders candidates by the weighted sum of their score parts, highest
 * first, ties broken by similarity then id, and keeps k of them. A
 * negative example (failed, degraded or thumbed down) scores low on outcome
 * and feedback, yet it is what teaches most about an app like it: up to
 * NEGATIVE_SHARE of the places go first to the negatives whose traits are
 * most alike, among all candidates (a less alike negative that scored higher
 * never takes the place of the same app's own failure), one per lesson (the
 * same strategy failing for the same causes teaches once); the best-scored
 * of the rest, negative or not, fill the other places.
 */
export function rerank<C extends Candidate>(
  candidates: readonly C[],
  opts: { weights: Weights; now: Date; intent?: readonly string[]; budgetMonthly?: number | undefined; k: number },
): Ranked<C>[] {
  const w = opts.weights;
  const query = { intent: opts.intent ?? [], budgetMonthly: opts.budgetMonthly };
  const byScore = (a: Ranked<C>, b: Ranked<C>): number => b.score - a.score || b.similarity - a.similarity || compareIds(a.candidate.id, b.candidate.id);
  const ranked = candidates
    .map((candidate) => {
      const p = scoreParts(candidate, opts.now, query);
      const score = w.similarity * p.similarity + w.intent * p.intent + w.outcome * p.outcome + w.feedback * p.feedback + w.recency * p.recency + w.cost * p.cost;
      return { candidate, similarity: p.similarity, score: round(score), scoreParts: roundParts(p) };
    })
    .sort(byScore);
  const negative = (r: Ranked<C>): boolean => r.candidate.outcome !== 'success' || r.candidate.feedback < 0;
  const kept = new Set<Ranked<C>>();
  const lessons = new Set<string>();
  for (const r of ranked.filter(negative).sort((a, b) => b.similarity - a.similarity || byScore(a, b))) {
    const { strategy, causes, id } = r.candidate;
    const lesson = strategy === undefined && causes === undefined ? `id:${id}` : `${strategy ?? ''}:${[...(causes ?? [])].sort().join(',')}`;
    if (kept.size >= Math.floor(opts.k * NEGATIVE_SHARE) || lessons.has(lesson)) continue;
    lessons.add(lesson);
    kept.add(r);
  }
  for (const r of ranked) if (kept.size < opts.k) kept.add(r);
  return [...kept].sort(byScore);
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
  return {
    similarity: round(p.similarity), intent: round(p.intent), outcome: round(p.outcome),
    feedback: round(p.feedback), recency: round(p.recency), cost: round(p.cost),
  };
}
