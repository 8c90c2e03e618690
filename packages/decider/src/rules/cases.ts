import type { SimilarCase, Strategy } from '@scia/api';
import { rule, type Rule } from './rule.js';

/** HIGH_SIMILARITY is the similarity from which a past case speaks for this app. */
export const HIGH_SIMILARITY = 0.8;
/**
 * SAME_FRAMEWORK_SIMILARITY is the lower bar for a case of the app's own
 * framework: the framework match carries part of the evidence, and the default
 * hashing embedder scores close apps lower than a semantic one does.
 */
export const SAME_FRAMEWORK_SIMILARITY = 0.4;

function highlySimilar(c: SimilarCase, framework: string): boolean {
  return c.similarity >= HIGH_SIMILARITY || (c.similarity >= SAME_FRAMEWORK_SIMILARITY && c.framework.toLowerCase() === framework);
}
/** AGREEING_CASES is how many good, highly similar cases must agree before the rules follow them. */
export const AGREEING_CASES = 3;

/** goodCases are highly similar cases that succeeded and that the team did not thumb down. */
export function goodCases(cases: readonly SimilarCase[], framework: string): SimilarCase[] {
  return cases.filter((c) => highlySimilar(c, framework) && c.outcome === 'success' && c.feedback >= 0);
}

/** badCases are highly similar cases that failed, degraded, or that the team thumbed down. */
export function badCases(cases: readonly SimilarCase[], framework: string): SimilarCase[] {
  return cases.filter((c) => highlySimilar(c, framework) && (c.outcome !== 'success' || c.feedback < 0));
}

function byStrategy(cases: readonly SimilarCase[]): Map<Strategy, SimilarCase[]> {
  const out = new Map<Strategy, SimilarCase[]>();
  for (const c of cases) out.set(c.strategy, [...(out.get(c.strategy) ?? []), c]);
  return out;
}

/** CASE_RULES learn from retrieved outcomes: follow what worked, avoid what failed. */
export const CASE_RULES: readonly Rule[] = [
  rule('similar-cases-agree', (f) => {
    const good = goodCases(f.cases, f.framework);
    if (good.length < AGREEING_CASES) return undefined;
    for (const [strategy, cases] of byStrategy(good)) {
      if (cases.length >= AGREEING_CASES && cases.length * 3 >= good.length * 2) {
        return {
          votes: { [strategy]: 4 },
          why: `${cases.length} of ${good.length} highly similar successful cases ran on ${strategy}`,
          cites: cases.map((c) => c.id),
        };
      }
    }
    return undefined;
  }),
  rule('similar-cases-failed', (f) => {
    const good = byStrategy(goodCases(f.cases, f.framework));
    const votes: Partial<Record<Strategy, number>> = {};
    const notes: string[] = [];
    const cites: string[] = [];
    for (const [strategy, cases] of byStrategy(badCases(f.cases, f.framework))) {
      if ((good.get(strategy)?.length ?? 0) >= cases.length) continue;
      votes[strategy] = -2;
      notes.push(`${cases.length} similar case(s) failed on ${strategy} (${failureSummary(cases)})`);
      cites.push(...cases.map((c) => c.id));
    }
    return notes.length === 0 ? undefined : { votes, why: notes.join('; '), cites };
  }),
];

function failureSummary(cases: readonly SimilarCase[]): string {
  const reasons = cases.map((c) => (c.failureReason ?? (c.feedback < 0 ? 'thumbed down' : c.outcome)).slice(0, 60));
  return [...new Set(reasons)].slice(0, 3).join(', ');
}
