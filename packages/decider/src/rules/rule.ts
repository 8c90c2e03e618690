import type { Strategy } from '@scia/api';
import type { Facts } from '../facts.js';

/** RuleHit is what a rule that fired says: score changes per strategy, and why. */
export interface RuleHit {
  votes: Partial<Record<Strategy, number>>;
  why: string;
  /** cites names the retrieved cases the rule followed. */
  cites?: readonly string[];
}

/** Rule is one named heuristic of the rules decider. */
export interface Rule {
  name: string;
  fire(facts: Facts): RuleHit | undefined;
}

/** rule builds a Rule from a name and its firing function. */
export function rule(name: string, fire: (facts: Facts) => RuleHit | undefined): Rule {
  return { name, fire };
}

/** frameworkIn tells whether the analyzed framework is one of `names` (case-insensitive, `spring-boot` matches `spring`). */
export function frameworkIn(facts: Facts, names: readonly string[]): boolean {
  return names.some((n) => facts.framework === n || facts.framework.startsWith(`${n}-`) || facts.framework.startsWith(`${n} `));
}
