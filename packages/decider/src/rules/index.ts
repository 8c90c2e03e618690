import { APP_SHAPE_RULES } from './app-shape.js';
import { CASE_RULES } from './cases.js';
import { CONSTRAINT_RULES } from './constraints.js';
import { PROMPT_RULES } from './prompt.js';
import type { Rule } from './rule.js';

export type { Rule, RuleHit } from './rule.js';
export { goodCases, badCases, HIGH_SIMILARITY, AGREEING_CASES, AVOID_VOTES } from './cases.js';

/** RULES is the rules decider's table, applied in this order; each fired rule is named in the reason. */
export const RULES: readonly Rule[] = [...APP_SHAPE_RULES, ...CONSTRAINT_RULES, ...PROMPT_RULES, ...CASE_RULES];
