import type { Result } from './result.js';
import { Api } from './context.js';
import { CloudProviderKind, CloudProviderSpec, CloudProviderStatus } from './cloud-provider.js';
import { toStructuralSchema, withCelRules } from './structural.js';
import type { StructuralSchema } from './structural.js';
import type { CelRuleSet, PrinterColumn, Xrd, XrdNames } from './xrd.js';

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

/** cloudProviderSchema builds the CloudProvider's `openAPIV3Schema` from its zod schemas, with the CEL rules attached. */
export function cloudProviderSchema(): Result<StructuralSchema> {
  const spec = toStructuralSchema(CloudProviderSpec);
  if (!spec.ok) return { ok: false, error: `cannot build CloudProvider spec schema: ${spec.error}` };
  const status = toStructuralSchema(CloudProviderStatus);
  if (!status.ok) return { ok: false, error: `cannot build CloudProvider status schema: ${status.error}` };
  let schema: StructuralSchema = {
    type: 'object',
    description: 'A CloudProvider is a team\'s cloud account: its credentials, default region, tags, quotas and monthly budget.',
    required: ['spec'],
    properties: { spec: spec.value, status: status.value },
  };
  for (const set of CLOUD_PROVIDER_CEL_RULES) {
    const next = withCelRules(schema, set.path, set.rules);
    if (!next.ok) return next;
    schema = next.value;
  }
  return { ok: true, value: schema };
}

const claimNames: XrdNames = { kind: CloudProviderKind.kind, plural: CloudProviderKind.plural, shortNames: ['scloud'], categories: ['scia'] };

function versions(schema: StructuralSchema): Xrd['spec']['versions'] {
  return [{ name: Api.version, served: true, referenceable: true, additionalPrinterColumns: CLOUD_PROVIDER_COLUMNS, schema: { openAPIV3Schema: schema } }];
}

/**
 * cloudProviderXrdV2 builds the Crossplane v2 XRD of the namespaced XR
 * `CloudProvider`, composed by `cloudprovider-aws-v2` into the team's
 * namespaced ProviderConfig.
 */
export function cloudProviderXrdV2(): Result<Xrd> {
  const schema = cloudProviderSchema();
  if (!schema.ok) return schema;
  return {
    ok: true,
    value: {
      apiVersion: 'apiextensions.crossplane.io/v2',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `${CloudProviderKind.plural}.${Api.group}` },
      spec: {
        group: Api.group,
        scope: 'Namespaced',
        names: { ...claimNames, shortNames: [...claimNames.shortNames], categories: ['scia', 'claim'] },
        defaultCompositionRef: { name: CloudProviderCompositionName.v2 },
        versions: versions(schema.value),
      },
    },
  };
}

/**
 * cloudProviderXrdV1 builds the Crossplane v1 XRD: the cluster XR
 * `XCloudProvider` offering the namespaced claim `CloudProvider`, composed by
 * `cloudprovider-aws` into a cluster-scoped ProviderConfig named after the XR.
 */
export function cloudProviderXrdV1(): Result<Xrd> {
  const schema = cloudProviderSchema();
  if (!schema.ok) return schema;
  return {
    ok: true,
    value: {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `x${CloudProviderKind.plural}.${Api.group}` },
      spec: {
        group: Api.group,
        names: { kind: CloudProviderKind.composite, plural: `x${CloudProviderKind.plural}`, shortNames: ['xscloud'], categories: ['scia'] },
        claimNames: { ...claimNames, shortNames: [...claimNames.shortNames], categories: ['scia'] },
        defaultCompositionRef: { name: CloudProviderCompositionName.v1 },
        versions: versions(schema.value),
      },
    },
  };
}
