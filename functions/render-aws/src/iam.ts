import type { JsonObject } from '@scia/runtime';
import { managed, managedPolicyArn, select } from './builder.js';
import type { Composed, RenderContext } from './model.js';

/** MANAGED_POLICIES are the AWS-managed policies the renderer attaches, with the key suffix of each attachment. */
export const MANAGED_POLICIES = {
  AmazonSSMManagedInstanceCore: 'ssm',
  CloudWatchAgentServerPolicy: 'cloudwatch-agent',
  AmazonEC2ContainerRegistryReadOnly: 'ecr-read',
  AmazonEKSClusterPolicy: 'eks-cluster',
  AmazonEKSWorkerNodePolicy: 'eks-worker',
  AmazonEKS_CNI_Policy: 'eks-cni',
  'service-role/AWSLambdaBasicExecutionRole': 'lambda-logs',
  'service-role/AWSLambdaVPCAccessExecutionRole': 'lambda-vpc',
} as const;

export type ManagedPolicy = keyof typeof MANAGED_POLICIES;

/** InlinePolicy is a named inline policy document. */
export interface InlinePolicy {
  name: string;
  document: JsonObject;
}

/** RoleSpec describes an IAM role: who may assume it, and what it may do. */
export interface RoleSpec {
  key: string;
  /** service is the principal allowed to assume the role, e.g. `ec2.amazonaws.com`. */
  service: string;
  description: string;
  /** managedPolicies are AWS-managed policies, attached one RolePolicyAttachment each. */
  managedPolicies: ManagedPolicy[];
  /** inline is an optional inline policy document (already a policy object), or several. */
  inline?: InlinePolicy | InlinePolicy[];
}

/** role renders an IAM Role and one RolePolicyAttachment per managed policy (`<key>-<policy>`). */
export function role(ctx: RenderContext, spec: RoleSpec): Composed[] {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: spec.service }, Action: 'sts:AssumeRole' }],
  };
  const forProvider: JsonObject = { assumeRolePolicy: JSON.stringify(trust), description: spec.description };
  const inline = spec.inline === undefined ? [] : Array.isArray(spec.inline) ? spec.inline : [spec.inline];
  if (inline.length > 0) forProvider['inlinePolicy'] = inline.map((i) => ({ name: i.name, policy: JSON.stringify(i.document) }));
  const out = [managed(ctx, spec.key, 'Role', forProvider)];
  for (const policy of spec.managedPolicies) {
    out.push(
      managed(ctx, `${spec.key}-${MANAGED_POLICIES[policy]}`, 'RolePolicyAttachment', {
        policyArn: managedPolicyArn(ctx.plan.region, policy),
        roleSelector: select(spec.key),
      }),
    );
  }
  return out;
}
