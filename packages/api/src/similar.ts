import { z } from 'zod';
import { Strategy } from './strategy.js';
import { DeploymentConfig } from './decision.js';

export const Outcome = z.enum(['success', 'failed', 'degraded']);
export type Outcome = z.infer<typeof Outcome>;

/** ScoreParts are the re-ranking terms of one retrieved case, each in 0..1. */
export const ScoreParts = z.object({
  similarity: z.number(),
  feedback: z.number(),
  recency: z.number(),
  cost: z.number(),
});

/** SimilarCase is one past deployment retrieved for a decision, with why it ranked where it did. */
export const SimilarCase = z.object({
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
});
export type Similar = z.infer<typeof Similar>;
