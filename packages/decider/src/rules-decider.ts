import type { Strategy } from '@scia/api';
import type { Facts } from './facts.js';
import { RULES, type RuleHit } from './rules/index.js';

/** STRATEGY_ORDER breaks ties: the simplest thing to run wins. */
export const STRATEGY_ORDER: readonly Strategy[] = ['vm', 'kubernetes', 'serverless'];

/** RulesVerdict is the rules decider's ranking of the strategies and the rules that made it. */
export interface RulesVerdict {
  /** ranked lists every strategy allowed, best first. */
  ranked: { strategy: Strategy; score: number; confidence: number }[];
  fired: { name: string; hit: RuleHit }[];
  cites: string[];
  /** excluded are the strategies left out of `ranked` whatever their votes, each with why. */
  excluded: { strategy: Strategy; why: string }[];
}

/** NO_ARTIFACT says why serverless is no candidate for a claim without spec.artifact: render-aws cannot build it. */
export const NO_ARTIFACT = 'serverless is not a candidate: the claim has no spec.artifact, and a Lambda function runs only what CI built (a container image or a zip in S3)';

/** buildableStrategies are the strategies render-aws can build for a claim: serverless only with an artifact. */
export function buildableStrategies(facts: Facts): { allowed: Strategy[]; excluded: RulesVerdict['excluded'] } {
  if (facts.hasArtifact) return { allowed: [...STRATEGY_ORDER], excluded: [] };
  return { allowed: STRATEGY_ORDER.filter((s) => s !== 'serverless'), excluded: [{ strategy: 'serverless', why: NO_ARTIFACT }] };
}

/**
 * rankByRules applies the rule table to `facts`: each strategy starts from a
 * base score (vm 1, the others 0: a VM runs anything), each fired rule adds its
 * votes, and ties go to STRATEGY_ORDER. Confidence follows the margin over the
 * runner-up. Only the `allowed` strategies are ranked; `excluded` says why the
 * others are not.
 */
export function rankByRules(facts: Facts, allowed: readonly Strategy[] = STRATEGY_ORDER, excluded: RulesVerdict['excluded'] = []): RulesVerdict {
  const scores: Record<Strategy, number> = { vm: 1, kubernetes: 0, serverless: 0 };
  const fired: { name: string; hit: RuleHit }[] = [];
  for (const rule of RULES) {
    const hit = rule.fire(facts);
    if (hit === undefined) continue;
    fired.push({ name: rule.name, hit });
    for (const [s, v] of Object.entries(hit.votes) as [Strategy, number][]) scores[s] += v;
  }
  const order = STRATEGY_ORDER.filter((s) => allowed.includes(s)).sort((a, b) => scores[b] - scores[a] || STRATEGY_ORDER.indexOf(a) - STRATEGY_ORDER.indexOf(b));
  const top = scores[order[0] ?? 'vm'];
  const second = scores[order[1] ?? 'vm'];
  const ranked = order.map((strategy, i) => ({
    strategy,
    score: scores[strategy],
    confidence: round2(i === 0 ? Math.min(0.95, 0.5 + 0.08 * (top - second)) : Math.max(0.05, 0.5 - 0.08 * (top - scores[strategy]))),
  }));
  const cites = [...new Set(fired.flatMap((f) => f.hit.cites ?? []))];
  return { ranked, fired, cites, excluded };
}

/** explainRules names each fired rule with its votes and reason, for a decision's `reason`. */
export function explainRules(verdict: RulesVerdict, strategy: Strategy): string {
  const scores = verdict.ranked.map((r) => `${r.strategy} ${r.score}`).join(', ');
  const excluded = verdict.excluded.map((e) => `; ${e.why}`).join('');
  if (verdict.fired.length === 0) return `rules chose ${strategy}: no rule fired, a VM is the default (scores: ${scores})${excluded}`;
  const fired = verdict.fired.map((f) => `${f.name} (${f.hit.why}; ${votes(f.hit)})`).join('; ');
  return `rules chose ${strategy} (scores: ${scores}); fired: ${fired}${excluded}`;
}

function votes(hit: RuleHit): string {
  return Object.entries(hit.votes)
    .map(([s, v]) => `${s} ${v > 0 ? '+' : ''}${v}`)
    .join(', ');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
