import { z } from 'zod';
import { Strategy } from './strategy.js';
import { DeploymentConfig } from './decision.js';
import { Cause } from './cause.js';

export const Outcome = z.enum(['success', 'failed', 'degraded']);
export type Outcome = z.infer<typeof Outcome>;

/**
 * ScoreParts are the re-ranking terms of one retrieved case, each in 0..1:
 * `similarity` compares the apps' traits, `intent` what the teams asked for,
 * `outcome` how it went (success 1, degraded 0.5, failed 0).
 */
export const ScoreParts = z.object({
  similarity: z.number(),
  intent: z.number().default(0),
  outcome: z.number().default(0.5),
  feedback: z.number(),
  recency: z.number(),
  cost: z.number(),
});

/** SimilarCase is one past deployment retrieved for a decision, with why it ranked where it did. */
export const SimilarCase = z.object({
  /** id is stable across stores: `namespace/name@<decision hash prefix>`, `shared/<digest>@<prefix>` for another team's case. */
  id: z.string(),
  name: z.string(),
  framework: z.string(),
  language: z.string(),
  strategy: Strategy,
  config: DeploymentConfig,
  outcome: Outcome,
  failureReason: z.string().optional(),
  costMonthly: z.number().nonnegative().optional(),
  feedback: z.number().int().min(-1).max(1).default(0),
  feedbackComment: z.string().optional(),
  /** causes are what the outcome's evidence and feedback say went wrong. */
  causes: z.array(Cause).default([]),
  /** intent is the case's intent tags (see intentTags). */
  intent: z.array(z.string()).default([]),
  /** ageDays is how long ago the case was recorded. */
  ageDays: z.number().nonnegative().default(0),
  similarity: z.number(),
  score: z.number(),
  scoreParts: ScoreParts,
  shared: z.boolean().default(false),
});
export type SimilarCase = z.infer<typeof SimilarCase>;

/** Similar is the content of context `scia.io/similar`. */
export const Similar = z.object({
  embedder: z.string(),
  queryHash: z.string(),
  cases: z.array(SimilarCase),
  /**
   * unavailable says why the deployment memory could not be read: the cases
   * are missing, not absent, and a decision that exists is kept rather than
   * taken again without them.
   */
  unavailable: z.string().optional(),
});
export type Similar = z.infer<typeof Similar>;
