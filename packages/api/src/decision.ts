import { z } from 'zod';
import { Strategy } from './strategy.js';
import { Cause, CitedCase } from './cause.js';
import { ServicePlan } from './services.js';

/**
 * DeploymentConfig sizes a strategy. Every field is optional: the renderer fills
 * what is missing with documented defaults, and only the fields of the chosen
 * strategy are read.
 */
export const DeploymentConfig = z.object({
  // vm
  instanceType: z.string().optional(),
  volumeSizeGb: z.number().int().min(8).max(16384).optional(),
  minSize: z.number().int().min(0).max(100).optional(),
  maxSize: z.number().int().min(1).max(100).optional(),
  desiredCapacity: z.number().int().min(0).max(100).optional(),
  // kubernetes
  nodeInstanceType: z.string().optional(),
  minNodes: z.number().int().min(1).max(100).optional(),
  maxNodes: z.number().int().min(1).max(100).optional(),
  desiredNodes: z.number().int().min(1).max(100).optional(),
  replicas: z.number().int().min(1).max(100).optional(),
  kubernetesVersion: z.string().optional(),
  // serverless
  memoryMb: z.number().int().min(128).max(10240).optional(),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
  // all
  port: z.number().int().min(1).max(65535).optional(),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

export const Alternative = z.object({
  strategy: Strategy,
  reason: z.string().max(1000),
  confidence: z.number().min(0).max(1),
  estimatedMonthlyCost: z.number().nonnegative().optional(),
});
export type Alternative = z.infer<typeof Alternative>;

export const CostItem = z.object({
  item: z.string(),
  monthly: z.number().nonnegative(),
});
export type CostItem = z.infer<typeof CostItem>;

/**
 * FailedAttempt is one of a deployment's own decisions that failed: what it
 * chose, the causes, a short summary without times (it is part of the next
 * decision's input hash) and the comment of the thumbs-down, if any, that
 * reported it.
 */
export const FailedAttempt = z.object({
  inputHash: z.string(),
  strategy: Strategy,
  config: DeploymentConfig.default({}),
  causes: z.array(Cause).default([]),
  summary: z.string().max(500),
  feedbackComment: z.string().max(500).optional(),
});
export type FailedAttempt = z.infer<typeof FailedAttempt>;

/** DecisionEvidence is what a decision learned from beyond the claim: the retrieved cases (by digest) and the deployment's own failures. */
export const DecisionEvidence = z.object({
  cases: z.string().default(''),
  failures: z.array(FailedAttempt).max(10).default([]),
});
export type DecisionEvidence = z.infer<typeof DecisionEvidence>;

export const DecidedBy = z.enum(['llm', 'rules', 'user']);
export type DecidedBy = z.infer<typeof DecidedBy>;

/**
 * Decision is what the decide step concluded. It is written to context
 * `scia.io/decision` and pinned in the XR's `status.deployment` under `inputHash`.
 */
export const Decision = z.object({
  strategy: Strategy,
  reason: z.string().max(2000),
  confidence: z.number().min(0).max(1),
  config: DeploymentConfig,
  alternativeStrategies: z.array(Alternative).default([]),
  estimatedMonthlyCost: z.number().nonnegative(),
  costBreakdown: z.array(CostItem).default([]),
  decidedBy: DecidedBy,
  inputHash: z.string(),
  citedCases: z.array(z.string()).default([]),
  /** cases are the cited past deployments in detail (see CitedCase). */
  cases: z.array(CitedCase).max(8).optional(),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  /** attempt counts the deployment's decisions: 1, then one more per re-decision after a failure. */
  attempt: z.number().int().min(1).optional(),
  /** evidence is what the decision learned from beyond the claim; it is part of inputHash. */
  evidence: DecisionEvidence.optional(),
  /** services is the plan for the app's database and cache (see ServicePlan). */
  services: z.array(ServicePlan).max(3).optional(),
});
export type Decision = z.infer<typeof Decision>;
