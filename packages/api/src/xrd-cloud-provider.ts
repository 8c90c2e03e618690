import type { Result } from './result.js';
import { CloudProviderKind, CloudProviderSpec, CloudProviderStatus } from './cloud-provider.js';
import type { StructuralSchema } from './structural.js';
import { kindSchema, kindXrdV1, kindXrdV2 } from './xrd.js';
import type { CelRuleSet, KindDefinition, PrinterColumn, Xrd } from './xrd.js';

/** CloudProviderCompositionName names the CloudProvider compositions in compositions/. */
export const CloudProviderCompositionName = { v1: 'cloudprovider-aws', v2: 'cloudprovider-aws-v2' } as const;

/** CLOUD_PROVIDER_COLUMNS are the columns of `kubectl get cloudproviders.scia.io`. */
export const CLOUD_PROVIDER_COLUMNS: PrinterColumn[] = [
  { name: 'REGION', type: 'string', jsonPath: '.spec.defaultRegion', description: 'The team\'s default region' },
  { name: 'SPEND', type: 'number', jsonPath: '.status.estimatedMonthlySpend', description: 'Estimated USD per month over the team\'s Deployments' },
  { name: 'BUDGET', type: 'number', jsonPath: '.spec.costControl.monthlyBudget', description: 'The team\'s monthly budget in USD' },
  { name: 'DEPLOYMENTS', type: 'integer', jsonPath: '.status.deploymentsCounted', description: 'Deployments counted' },
];

/** CLOUD_PROVIDER_CEL_RULES are CloudProviderSpec's refinements, as the API server checks them (zod's messages). */
export const CLOUD_PROVIDER_CEL_RULES: CelRuleSet[] = [
  {
    path: ['spec', 'credentials'],
    rules: [
      { rule: "self.source != 'Secret' || has(self.secretRef)", message: 'source Secret needs secretRef', fieldPath: '.secretRef' },
      { rule: "self.source == 'Secret' || has(self.roleARN)", message: 'source IRSA or PodIdentity needs roleARN', fieldPath: '.roleARN' },
    ],
  },
  {
    path: ['spec', 'tags'],
    rules: [
      { rule: 'size(self) <= 40', message: 'at most 40 tags' },
      { rule: "self.all(k, !k.startsWith('aws:') && k.matches('^[\\\\w .:/=+@-]+$'))", message: 'tag keys are AWS tag keys, none starting with aws:' },
    ],
  },
];

const CLOUD_PROVIDER: KindDefinition = {
  kind: 'CloudProvider',
  description: 'A CloudProvider is a team\'s cloud account: its credentials, default region, tags, quotas and monthly budget.',
  spec: CloudProviderSpec,
  status: CloudProviderStatus,
  rules: CLOUD_PROVIDER_CEL_RULES,
  columns: CLOUD_PROVIDER_COLUMNS,
  names: { kind: CloudProviderKind.kind, plural: CloudProviderKind.plural, shortNames: ['scloud'] },
  composite: { kind: CloudProviderKind.composite, plural: `x${CloudProviderKind.plural}`, shortNames: ['xscloud'], categories: ['scia'] },
  compositions: CloudProviderCompositionName,
};

/** cloudProviderSchema is the CloudProvider's `openAPIV3Schema`, with its CEL rules. */
export function cloudProviderSchema(): Result<StructuralSchema> {
  return kindSchema(CLOUD_PROVIDER);
}

/**
 * cloudProviderXrdV2 builds the Crossplane v2 XRD of the namespaced XR
 * `CloudProvider`, composed by `cloudprovider-aws-v2` into the team's
 * namespaced ProviderConfig.
 */
export function cloudProviderXrdV2(): Result<Xrd> {
  return kindXrdV2(CLOUD_PROVIDER);
}

/**
 * cloudProviderXrdV1 builds the Crossplane v1 XRD: the cluster XR
 * `XCloudProvider` offering the namespaced claim `CloudProvider`, composed by
 * `cloudprovider-aws` into a cluster-scoped ProviderConfig named after the XR.
 */
export function cloudProviderXrdV1(): Result<Xrd> {
  return kindXrdV1(CLOUD_PROVIDER);
}
