import { z } from 'zod';
import { REGION_PATTERN } from './xr.js';
import type { DeploymentConfig } from './decision.js';
import type { Strategy } from './strategy.js';

/** CloudProviderKind names the team's cloud account kind (namespaced; the v1 XRD's cluster XR is XCloudProvider). */
export const CloudProviderKind = { kind: 'CloudProvider', composite: 'XCloudProvider', plural: 'cloudproviders' } as const;

/** PLATFORM_CLOUD_PROVIDER is the `spec.cloudProvider` that means the platform's own ProviderConfig, not a team's. */
export const PLATFORM_CLOUD_PROVIDER = 'aws';

/** IAM role ARNs, e.g. `arn:aws:iam::123456789012:role/team-backend`. */
export const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Tag keys AWS accepts, without the reserved `aws:` prefix. */
const TAG_KEY = /^(?!aws:)[\w .:/=+@-]{1,128}$/;

/**
 * CloudProviderCredentials says how the team's ProviderConfig authenticates:
 * a Secret in the CloudProvider's own namespace (an AWS credentials file under
 * `key`), or the provider's IRSA / Pod Identity, assuming the team's role.
 */
export const CloudProviderCredentials = z
  .object({
    source: z.enum(['Secret', 'IRSA', 'PodIdentity']).describe('Secret: a credentials file in a Secret; IRSA or PodIdentity: the provider pod\'s identity.'),
    secretRef: z
      .object({ name: z.string().min(1).max(253), key: z.string().min(1).max(253).default('credentials') })
      .optional()
      .describe('The Secret in this namespace holding an AWS credentials file (source Secret).'),
    roleARN: z.string().regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN').optional().describe('The team\'s IAM role, assumed by the provider (IRSA, PodIdentity).'),
  })
  .refine((c) => c.source !== 'Secret' || c.secretRef !== undefined, { message: 'source Secret needs secretRef', path: ['secretRef'] })
  .refine((c) => c.source === 'Secret' || c.roleARN !== undefined, { message: 'source IRSA or PodIdentity needs roleARN', path: ['roleARN'] });
export type CloudProviderCredentials = z.infer<typeof CloudProviderCredentials>;

/** Quotas cap what a team's Deployments may run at their maximum scale, all together. */
export const Quotas = z.object({
  maxEc2Instances: z.number().int().min(0).max(100_000).optional().describe('EC2 instances: VM instances and Kubernetes nodes, at maximum scale.'),
  maxEksClusters: z.number().int().min(0).max(1000).optional().describe('EKS clusters.'),
  maxLambdaFunctions: z.number().int().min(0).max(100_000).optional().describe('Lambda functions.'),
});
export type Quotas = z.infer<typeof Quotas>;

/** CostControl is the team's monthly budget over all its Deployments. */
export const CostControl = z.object({
  monthlyBudget: z.number().positive().max(100_000_000).describe('USD per month for every Deployment of the namespace together.'),
  alertThreshold: z.number().gt(0).max(1).default(0.8).describe('The share of the budget past which the team is warned.'),
  enforcementMode: z.enum(['soft', 'hard']).default('soft').describe('hard refuses a Deployment that would exceed the budget; soft warns.'),
});
export type CostControl = z.infer<typeof CostControl>;

/** CloudProviderSpec is a team's cloud account: how to reach it, its defaults and its limits. */
export const CloudProviderSpec = z.object({
  type: z.literal('aws').default('aws').describe('The cloud; only aws.'),
  credentials: CloudProviderCredentials.describe('How the team\'s ProviderConfig authenticates.'),
  defaultRegion: z.string().regex(REGION_PATTERN, 'must be an AWS region such as eu-west-3').describe('The region of the team\'s account.'),
  quotas: Quotas.optional().describe('Caps on what the team\'s Deployments run together.'),
  costControl: CostControl.optional().describe('The team\'s monthly budget.'),
  tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((t) => Object.keys(t).length <= 40, { message: 'at most 40 tags' })
    .refine((t) => Object.keys(t).every((k) => TAG_KEY.test(k)), { message: 'tag keys are AWS tag keys, none starting with aws:' })
    .default({})
    .describe('Tags added to every managed resource of the team\'s Deployments.'),
});
export type CloudProviderSpec = z.infer<typeof CloudProviderSpec>;
export type CloudProviderSpecInput = z.input<typeof CloudProviderSpec>;

/** TeamUsage is what Deployments run at their maximum scale. */
export const TeamUsage = z.object({
  ec2Instances: z.number().int().nonnegative(),
  eksClusters: z.number().int().nonnegative(),
  lambdaFunctions: z.number().int().nonnegative(),
});
export type TeamUsage = z.infer<typeof TeamUsage>;

/** CloudProviderStatus is what the CloudProvider's composition reports: the team's spend and quota use. */
export const CloudProviderStatus = z.object({
  providerConfigName: z.string().optional().describe('The namespaced ProviderConfig the team\'s Deployments use.'),
  estimatedMonthlySpend: z.number().nonnegative().optional().describe('USD per month, the sum of the counted Deployments\' estimates.'),
  budgetUsed: z.number().nonnegative().optional().describe('estimatedMonthlySpend over costControl.monthlyBudget.'),
  quotaUse: TeamUsage.optional().describe('What the counted Deployments run at their maximum scale.'),
  deploymentsCounted: z.number().int().nonnegative().optional().describe('How many Deployments have an estimate and were counted.'),
  deployments: z.array(z.string()).max(500).optional().describe('The counted Deployments, by name.'),
});
export type CloudProviderStatus = z.infer<typeof CloudProviderStatus>;

/**
 * RequiredName are the keys of the required resources the functions ask
 * Crossplane for: the CloudProvider a Deployment names, the team's
 * Deployments, and the Git credentials Secret a claim names.
 */
export const RequiredName = {
  cloudProvider: 'scia.io/cloud-provider',
  teamDeployments: 'scia.io/team-deployments',
  gitSecret: 'scia.io/git-credentials',
} as const;

/** TeamMember is one Deployment of a team as its budget and quotas count it. */
export interface TeamMember {
  name: string;
  /** createdAt (RFC 3339) orders claims: an older claim keeps its place in the team's budget; '' is the newest. */
  createdAt: string;
  /** estimatedMonthly is its decision's estimate; a Deployment not decided yet has none and costs nothing yet. */
  estimatedMonthly?: number;
  strategy?: Strategy;
  config?: DeploymentConfig;
}
