import { z } from 'zod';
import { Cause, DeploymentConfig, Outcome, OutcomeEvidence, Strategy } from '@scia/api';

/** AppFacts describe an app and what its team asked for: what is embedded and compared. */
export const AppFacts = z.object({
  language: z.string().min(1).max(64),
  framework: z.string().min(1).max(64),
  kind: z.string().max(32).optional(),
  services: z.array(z.string().min(1).max(64)).max(32).default([]),
  dependencies: z.array(z.string().min(1).max(214)).max(500).default([]),
  prompt: z.string().max(4000).default(''),
  region: z.string().max(64).optional(),
  budgetMonthly: z.number().positive().optional(),
  dockerfile: z.boolean().optional(),
  /** intent is the request's intent tags; computed from the prompt and budget (see intentTags) when absent. */
  intent: z.array(z.string().min(1).max(64)).max(32).optional(),
});
export type AppFacts = z.infer<typeof AppFacts>;
export type AppFactsInput = z.input<typeof AppFacts>;

/**
 * DeploymentRecord is one deployment's outcome under one decision: the unit the
 * store upserts, keyed by (xrUid, decisionHash).
 */
export const DeploymentRecord = z.object({
  xrUid: z.string().min(1).max(256),
  decisionHash: z.string().min(1).max(256),
  name: z.string().min(1).max(253),
  /** namespace is the tenant: the claim's namespace, '' for none. */
  namespace: z.string().max(253).default(''),
  /** shared rows are visible to every tenant. */
  shared: z.boolean().default(false),
  app: AppFacts,
  strategy: Strategy,
  config: DeploymentConfig.default({}),
  outcome: Outcome,
  failureReason: z.string().max(2000).optional(),
  costMonthly: z.number().nonnegative().optional(),
  performanceMetrics: z.record(z.string(), z.number()).default({}),
  feedback: z.number().int().min(-1).max(1).default(0),
  feedbackComment: z.string().max(2000).optional(),
  /** causes are what the evidence and the feedback say went wrong (see the decider's classifier). */
  causes: z.array(Cause).default([]),
  /** evidence is the outcome's structured evidence: resources never ready, for how long, the workload's state. */
  evidence: OutcomeEvidence.optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  /** recordedAt (RFC 3339) is when it happened; the store's clock when absent. */
  recordedAt: z.iso.datetime({ offset: true }).optional(),
});
export type DeploymentRecord = z.infer<typeof DeploymentRecord>;
export type DeploymentRecordInput = z.input<typeof DeploymentRecord>;

/** RecordKey names one row: an XR under one decision. */
export interface RecordKey {
  xrUid: string;
  decisionHash: string;
}

/**
 * Weights of the re-ranking terms; the defaults sum to 1. The app's traits
 * weigh most, the intent apart from them; outcome and feedback order cases of
 * alike apps (a negative example still ranks, for what it teaches).
 */
export const Weights = z.object({
  similarity: z.number().min(0).max(10).default(0.45),
  intent: z.number().min(0).max(10).default(0.2),
  outcome: z.number().min(0).max(10).default(0.1),
  feedback: z.number().min(0).max(10).default(0.1),
  recency: z.number().min(0).max(10).default(0.1),
  cost: z.number().min(0).max(10).default(0.05),
});
export type Weights = z.infer<typeof Weights>;
export const DEFAULT_WEIGHTS: Weights = { similarity: 0.45, intent: 0.2, outcome: 0.1, feedback: 0.1, recency: 0.1, cost: 0.05 };

/** CaseFilters narrow a search before ranking; the tenant scope always applies. */
export const CaseFilters = z.object({
  framework: z.string().min(1).max(64).optional(),
  language: z.string().min(1).max(64).optional(),
  outcomes: z.array(Outcome).min(1).optional(),
  /** nonNegativeFeedback drops cases a team marked -1 (off by default: a thumbs-down marks a negative example, it does not erase it). */
  nonNegativeFeedback: z.boolean().default(false),
  /** maxCostMonthly keeps cases that cost at most this much (or whose cost is unknown), and every negative example. */
  maxCostMonthly: z.number().positive().optional(),
});
export type CaseFilters = z.infer<typeof CaseFilters>;

/** CaseQuery asks for the k past deployments most like `app`, within `tenant`'s scope. */
export const CaseQuery = z.object({
  app: AppFacts,
  tenant: z.string().max(253).default(''),
  filters: CaseFilters.default({ nonNegativeFeedback: false }),
  /** widen, when the search within `filters` finds nothing, searches again within these, with the same embedding. */
  widen: CaseFilters.optional(),
  k: z.number().int().min(1).max(100).default(5),
});
export type CaseQuery = z.infer<typeof CaseQuery>;
export type CaseQueryInput = z.input<typeof CaseQuery>;
