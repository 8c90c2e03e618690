import type { SimilarCase, Strategy } from '@scia/api';
import { SAME_INTENT } from '../learning/lessons.js';
import { rule, type Rule } from './rule.js';

/** HIGH_SIMILARITY is the traits similarity from which a past case speaks for this app. */
export const HIGH_SIMILARITY = 0.8;
/** AGREEING_CASES is how many good, highly similar cases must agree before the rules follow them. */
export const AGREEING_CASES = 3;
/** AVOID_VOTES is what a lesson against a strategy weighs: more than any preference of the prompt. */
export const AVOID_VOTES = -8;

/** goodCases are cases of highly similar apps that succeeded and that the team did not thumb down. */
export function goodCases(cases: readonly SimilarCase[]): SimilarCase[] {
  return cases.filter((c) => c.similarity >= HIGH_SIMILARITY && c.outcome === 'success' && c.feedback >= 0);
}

/** badCases are cases of highly similar apps that failed, degraded, or that the team thumbed down: negative examples. */
export function badCases(cases: readonly SimilarCase[]): SimilarCase[] {
  return cases.filter((c) => c.similarity >= HIGH_SIMILARITY && (c.outcome !== 'success' || c.feedback < 0));
}

function byStrategy(cases: readonly SimilarCase[]): Map<Strategy, SimilarCase[]> {
  const out = new Map<Strategy, SimilarCase[]>();
  for (const c of cases) out.set(c.strategy, [...(out.get(c.strategy) ?? []), c]);
  return out;
}

/** CASE_RULES learn from retrieved outcomes and the deployment's own failures: follow what worked, avoid what failed. */
export const CASE_RULES: readonly Rule[] = [
  rule('similar-cases-agree', (f) => {
    const good = goodCases(f.cases).filter((c) => c.scoreParts.intent >= SAME_INTENT);
    if (good.length < AGREEING_CASES) return undefined;
    for (const [strategy, cases] of byStrategy(good)) {
      if (cases.length >= AGREEING_CASES && cases.length * 3 >= good.length * 2) {
        return {
          votes: { [strategy]: 4 },
          why: `${cases.length} of ${good.length} successful cases of similar apps with a similar request ran on ${strategy}`,
          cites: cases.map((c) => c.id),
        };
      }
    }
    return undefined;
  }),
  rule('learned-avoid', (f) => {
    const entries = Object.entries(f.lessons.avoid) as [Strategy, string[]][];
    if (entries.length === 0) return undefined;
    const votes: Partial<Record<Strategy, number>> = {};
    for (const [strategy] of entries) votes[strategy] = AVOID_VOTES;
    const why = entries.map(([s, reasons]) => `avoid ${s} (${[...new Set(reasons)].slice(0, 3).join('; ')})`).join('; ');
    return { votes, why, cites: f.lessons.cited.map((c) => c.id) };
  }),
];
