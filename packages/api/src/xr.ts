import { z } from 'zod';
import { Phase, Policy, RequestedStrategy, Strategy } from './strategy.js';
import { Alternative, CostItem, DecidedBy, DecisionEvidence, DeploymentConfig } from './decision.js';
import { Analysis } from './analysis.js';
import { CitedCase } from './cause.js';
import { OutcomeStatus } from './evidence.js';
import { ServiceOverrides, ServicePlan, ServiceStatus } from './services.js';
import type { Result } from './result.js';

/** AWS region names, e.g. `eu-west-3`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** DNS names such as `api.example.com`, or a wildcard `*.example.com`. */
export const DNS_NAME_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

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

/**
 * OVERRIDE_ORDER lists pairs of override fields `[low, high]` that, when both
 * are set, must satisfy `low <= high`. The XRD carries the same pairs as CEL
 * rules, so the API server and the functions reject the same claims.
 */
export const OVERRIDE_ORDER = [
  ['minSize', 'maxSize'],
  ['minSize', 'desiredCapacity'],
  ['desiredCapacity', 'maxSize'],
  ['minNodes', 'maxNodes'],
  ['minNodes', 'desiredNodes'],
  ['desiredNodes', 'maxNodes'],
] as const satisfies ReadonlyArray<readonly [keyof DeploymentConfig, keyof DeploymentConfig]>;

/** orderMessage is the error for an override pair out of order. */
export function orderMessage(low: string, high: string): string {
  return `${low} must not exceed ${high}`;
}

/** Overrides are sizing choices a user pins; they win over any decision. */
export const Overrides = DeploymentConfig.superRefine((o, ctx) => {
  for (const [low, high] of OVERRIDE_ORDER) {
    const lo = o[low];
    const hi = o[high];
    if (lo !== undefined && hi !== undefined && lo > hi) {
      ctx.addIssue({ code: 'custom', message: orderMessage(low, high), path: [low] });
    }
  }
});
export type Overrides = z.infer<typeof Overrides>;

/** REGION_NEEDED refuses a claim on the platform's account (`spec.cloudProvider: aws`) without `spec.region`. */
export const REGION_NEEDED = 'required unless spec.cloudProvider names a CloudProvider with a defaultRegion';

/**
 * resolveRegion is a claim's effective region: its own `spec.region`, else
 * the defaultRegion of the CloudProvider it names (undefined: none named or
 * none set), else an error naming spec.region.
 */
export function resolveRegion(spec: ClaimSpec, defaultRegion: string | undefined): Result<DeploymentSpec> {
  const region = spec.region ?? defaultRegion;
  if (region === undefined) return { ok: false, error: `spec.region: ${REGION_NEEDED}` };
  return { ok: true, value: { ...spec, region } };
}

/** SERVERLESS_NEEDS_ARTIFACT refuses `strategy: serverless` without `spec.artifact`: a Lambda function runs only what CI built. */
export const SERVERLESS_NEEDS_ARTIFACT = 'strategy serverless needs an artifact (a container image or a zip in S3 built by CI)';

/**
 * DeploymentSpec is the claim's (and XR's) `spec` as a team writes it. An
 * explicit serverless strategy needs an artifact; `auto` without one never
 * chooses serverless.
 */
export const DeploymentSpec = z.object({
  repository: Repository.describe('The application\'s source: a Git URL (or, for local renders, a path) and a ref.'),
  prompt: z.string().max(4000).default('').describe('What the team wants, in its own words; read by the decide step.'),
  cloudProvider: z.string().min(1).max(63).default('aws').describe('The cloud to deploy to.'),
  region: z
    .string()
    .regex(REGION_PATTERN, 'must be an AWS region such as eu-west-3')
    .optional()
    .describe('The AWS region, such as eu-west-3; without it, the named CloudProvider\'s defaultRegion.'),
  budget: Budget.optional().describe('A monthly cost ceiling; a hard budget refuses decisions above it.'),
  policies: z.array(Policy).max(16).default([]).describe('Guarantees the infrastructure must give.'),
  strategy: RequestedStrategy.default('auto').describe('How the app runs; auto lets the pipeline choose.'),
  domain: z
    .string()
    .max(253)
    .regex(DNS_NAME_PATTERN, 'must be a DNS name such as app.example.com')
    .optional()
    .describe('The DNS name the app is served on; require-https issues its certificate for it.'),
  artifact: Artifact.optional().describe('What the team\'s CI built: a container image or a zip in S3.'),
  overrides: Overrides.optional().describe('Sizing the team pins; it wins over any decision.'),
  services: ServiceOverrides.optional().describe('The app\'s database and cache: skip one, bring your own, or pin its class and storage.'),
  providerConfigName: z
    .string()
    .min(1)
    .max(253)
    .default('default')
    .describe('The provider-aws ProviderConfig the composed resources use.'),
}).refine((s) => s.strategy !== 'serverless' || s.artifact !== undefined, {
  message: SERVERLESS_NEEDS_ARTIFACT,
  path: ['artifact'],
}).refine((s) => s.region !== undefined || s.cloudProvider !== 'aws', {
  message: REGION_NEEDED,
  path: ['region'],
});
/** ClaimSpec is the claim's `spec` as parsed: its region may be left to the team's CloudProvider. */
export type ClaimSpec = z.infer<typeof DeploymentSpec>;
/** DeploymentSpec is the claim's `spec` with its effective region resolved (see resolveRegion). */
export type DeploymentSpec = ClaimSpec & { region: string };
export type DeploymentSpecInput = z.input<typeof DeploymentSpec>;

export const Endpoint = z.object({
  name: z.string(),
  url: z.string(),
  type: z.enum(['load-balancer', 'function-url', 'api-gateway', 'instance', 'database', 'cache']),
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
  /** cases are the cited past deployments with their similarity parts, outcome and feedback (at most 8). */
  cases: z.array(CitedCase).max(8).optional(),
  /** attempt counts this deployment's decisions: 1, then one more per re-decision after a failure. */
  attempt: z.number().int().min(1).optional(),
  /** evidence is what the decision learned from beyond the claim; it is part of inputHash. */
  evidence: DecisionEvidence.optional(),
  /** services is the plan for the app's database and cache, each with its reason (never a credential). */
  services: z.array(ServicePlan).max(3).optional(),
});

export const HistoryEntry = z.object({
  at: z.string(),
  event: z.string(),
  message: z.string(),
});

/** DeploymentStatus is what the pipeline reports in the XR's `status`. */
export const DeploymentStatus = z.object({
  phase: Phase.optional().describe('Where the deployment is in its lifecycle.'),
  message: z.string().optional().describe('Why the deployment is in its phase, such as what is not ready yet.'),
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
  outcome: OutcomeStatus.optional().describe('How the pinned decision fares, as the record step judges it.'),
  services: z.array(ServiceStatus).max(3).optional().describe('The app\'s database and cache: phase and endpoint, never a credential.'),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;
