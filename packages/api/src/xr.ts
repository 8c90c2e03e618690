import { z } from 'zod';
import { Phase, Policy, RequestedStrategy, Strategy } from './strategy.js';
import { Alternative, CostItem, DecidedBy, DeploymentConfig } from './decision.js';
import { Analysis } from './analysis.js';

/** AWS region names, e.g. `eu-west-3`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export const Repository = z.object({
  url: z.string().min(1).max(2048),
  ref: z.string().min(1).max(255).default('HEAD'),
  path: z.string().max(1024).optional(),
  credentialsSecretRef: z.object({ name: z.string(), namespace: z.string().optional() }).optional(),
});

export const Budget = z
  .object({
    maxMonthlyCost: z.number().positive().max(10_000_000).optional(),
    alertThreshold: z.number().gt(0).max(1).default(0.8),
    enforcementMode: z.enum(['soft', 'hard']).default('soft'),
  })
  .refine((b) => b.enforcementMode !== 'hard' || b.maxMonthlyCost !== undefined, {
    message: 'a hard budget needs maxMonthlyCost',
    path: ['maxMonthlyCost'],
  });
export type Budget = z.infer<typeof Budget>;

/** Artifact names what the team's CI built: a container image or a zip in S3. */
export const Artifact = z
  .object({
    image: z.string().min(1).max(1024).optional(),
    s3: z.object({ bucket: z.string().min(3).max(63), key: z.string().min(1).max(1024) }).optional(),
  })
  .refine((a) => (a.image === undefined) !== (a.s3 === undefined), {
    message: 'set exactly one of image and s3',
  });
export type Artifact = z.infer<typeof Artifact>;

/** Overrides are sizing choices a user pins; they win over any decision. */
export const Overrides = DeploymentConfig;
export type Overrides = z.infer<typeof Overrides>;

/** DeploymentSpec is the claim's (and XR's) `spec` as a team writes it. */
export const DeploymentSpec = z.object({
  repository: Repository,
  prompt: z.string().max(4000).default(''),
  cloudProvider: z.string().min(1).max(63).default('aws'),
  region: z.string().regex(REGION_PATTERN, 'must be an AWS region such as eu-west-3'),
  budget: Budget.optional(),
  policies: z.array(Policy).max(16).default([]),
  strategy: RequestedStrategy.default('auto'),
  artifact: Artifact.optional(),
  overrides: Overrides.optional(),
  providerConfigName: z.string().min(1).max(253).default('default'),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpec>;
export type DeploymentSpecInput = z.input<typeof DeploymentSpec>;

export const Endpoint = z.object({
  name: z.string(),
  url: z.string(),
  type: z.enum(['load-balancer', 'function-url', 'api-gateway', 'instance']),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const DeploymentStatusDecision = z.object({
  strategy: Strategy,
  reason: z.string(),
  confidence: z.number().min(0).max(1),
  alternativeStrategies: z.array(Alternative).default([]),
  decidedBy: DecidedBy,
  inputHash: z.string(),
  config: DeploymentConfig.optional(),
  citedCases: z.array(z.string()).default([]),
  model: z.string().optional(),
});

export const HistoryEntry = z.object({
  at: z.string(),
  event: z.string(),
  message: z.string(),
});

/** DeploymentStatus is what the pipeline reports in the XR's `status`. */
export const DeploymentStatus = z.object({
  phase: Phase.optional(),
  message: z.string().optional(),
  observedGeneration: z.number().int().optional(),
  endpoints: z.array(Endpoint).optional(),
  cost: z
    .object({
      estimatedMonthly: z.number().nonnegative(),
      currency: z.literal('USD').default('USD'),
      breakdown: z.array(CostItem).optional(),
    })
    .optional(),
  deployment: DeploymentStatusDecision.optional(),
  analysis: Analysis.optional(),
  history: z.array(HistoryEntry).optional(),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;
