import { rule, type Rule } from './rule.js';

/** PROMPT_RULES read the keywords of the team's prompt. */
export const PROMPT_RULES: readonly Rule[] = [
  rule('prompt-high-availability', (f) =>
    f.keywords.has('high-availability') ? { votes: { kubernetes: 2, vm: 1 }, why: 'the prompt asks for high availability' } : undefined),
  rule('prompt-cheapest', (f) =>
    f.keywords.has('cheapest') ? { votes: { serverless: 2, kubernetes: -2 }, why: 'the prompt asks for the lowest cost' } : undefined),
  rule('prompt-spiky-traffic', (f) =>
    f.keywords.has('spiky') ? { votes: { serverless: 2 }, why: 'the prompt describes spiky or occasional traffic' } : undefined),
  rule('prompt-steady-high-traffic', (f) =>
    f.keywords.has('steady-high-traffic') ? { votes: { kubernetes: 2 }, why: 'the prompt describes heavy or growing traffic' } : undefined),
  rule('prompt-low-latency', (f) =>
    f.keywords.has('low-latency') ? { votes: { serverless: -2 }, why: 'the prompt asks for low latency (no cold starts)' } : undefined),
];
