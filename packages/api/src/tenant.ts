import { z } from 'zod';
import { Api } from './context.js';
import { CloudProviderKind, CloudProviderSpec, ROLE_ARN_PATTERN } from './cloud-provider.js';
import { parseAt } from './issues.js';
import { REGION_PATTERN } from './xr.js';
import { XrdPlural } from './xrd.js';
import type { JsonObject, Result } from './result.js';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * TenantOptions describe a team's onboarding: its namespace, the groups bound
 * to the scia-deployer and scia-viewer roles, how many Deployments it may
 * have, and its CloudProvider (credentials, region, budget, quotas, tags).
 */
export const TenantOptions = z
  .object({
    namespace: z.string().regex(DNS_LABEL, 'must be a DNS label such as team-backend'),
    deployers: z.string().min(1).optional(),
    viewers: z.string().min(1).optional(),
    maxDeployments: z.number().int().min(0).max(10_000).default(20),
    cloudProvider: z.string().regex(DNS_LABEL, 'must be a DNS label').default('aws-team'),
    region: z.string().regex(REGION_PATTERN, 'must be an AWS region such as eu-west-3'),
    secret: z.string().regex(DNS_LABEL, 'must be a Secret name').optional(),
    roleArn: z.string().regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN').optional(),
    monthlyBudget: z.number().positive().optional(),
    enforcementMode: z.enum(['soft', 'hard']).default('soft'),
    maxEc2Instances: z.number().int().min(0).optional(),
    maxEksClusters: z.number().int().min(0).optional(),
    maxLambdaFunctions: z.number().int().min(0).optional(),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .refine((o) => (o.secret === undefined) !== (o.roleArn === undefined), { message: 'set exactly one of secret and roleArn', path: ['secret'] });
export type TenantOptions = z.input<typeof TenantOptions>;

/** POD_SECURITY is the Pod Security Standard a tenant namespace enforces. */
export const POD_SECURITY = 'restricted';

/**
 * tenantManifests builds what a platform team applies to onboard a team: its
 * Namespace (Pod Security `restricted` enforced), a ResourceQuota capping its
 * Deployments (`count/deployments.scia.io`) and Secrets, a NetworkPolicy that
 * denies ingress and allows only DNS egress to its pods, RoleBindings of the
 * team's groups to scia-deployer and scia-viewer, and its CloudProvider. The
 * team's AWS credentials Secret (with `secret`) is the team's to create.
 */
export function tenantManifests(input: TenantOptions): Result<JsonObject[]> {
  const parsed = parseAt(TenantOptions, input, 'tenant');
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  const ns = o.namespace;
  const labels = { 'app.kubernetes.io/part-of': 'scia', 'scia.io/team': ns };
  const cloudProvider = cloudProviderSpec(o);
  if (!cloudProvider.ok) return cloudProvider;
  const out: JsonObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': POD_SECURITY,
          'pod-security.kubernetes.io/audit': POD_SECURITY,
          'pod-security.kubernetes.io/warn': POD_SECURITY,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'scia-tenant', namespace: ns, labels },
      spec: { hard: { [`count/${XrdPlural.claim}.${Api.group}`]: String(o.maxDeployments), 'count/secrets': '50' } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'scia-tenant-default', namespace: ns, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      },
    },
  ];
  for (const [role, group] of [['scia-deployer', o.deployers ?? `${ns}-deployers`], ['scia-viewer', o.viewers ?? `${ns}-viewers`]] as const) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: role, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    });
  }
  out.push({ apiVersion: Api.apiVersion, kind: CloudProviderKind.kind, metadata: { name: o.cloudProvider, namespace: ns, labels }, spec: cloudProvider.value });
  return { ok: true, value: out };
}

function cloudProviderSpec(o: z.infer<typeof TenantOptions>): Result<JsonObject> {
  const quotas: JsonObject = {};
  if (o.maxEc2Instances !== undefined) quotas['maxEc2Instances'] = o.maxEc2Instances;
  if (o.maxEksClusters !== undefined) quotas['maxEksClusters'] = o.maxEksClusters;
  if (o.maxLambdaFunctions !== undefined) quotas['maxLambdaFunctions'] = o.maxLambdaFunctions;
  const spec: JsonObject = {
    type: 'aws',
    credentials: o.secret !== undefined ? { source: 'Secret', secretRef: { name: o.secret, key: 'credentials' } } : { source: 'IRSA', roleARN: o.roleArn ?? '' },
    defaultRegion: o.region,
    ...(Object.keys(quotas).length > 0 ? { quotas } : {}),
    ...(o.monthlyBudget === undefined ? {} : { costControl: { monthlyBudget: o.monthlyBudget, alertThreshold: 0.8, enforcementMode: o.enforcementMode } }),
    tags: { team: o.namespace, ...o.tags },
  };
  // The CloudProvider's own schema has the last word (tag keys, counts).
  const checked = parseAt(CloudProviderSpec, spec, 'tenant.cloudProvider.spec');
  return checked.ok ? { ok: true, value: spec } : checked;
}
