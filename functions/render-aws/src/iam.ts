import type { JsonObject } from '@scia/runtime';
import { managed, managedPolicyArn, select } from './builder.js';
import type { Composed, RenderContext } from './model.js';

/** RoleSpec describes an IAM role: who may assume it, and what it may do. */
export interface RoleSpec {
  key: string;
  /** service is the principal allowed to assume the role, e.g. `ec2.amazonaws.com`. */
  service: string;
  description: string;
  /** managedPolicies are names of AWS-managed policies, attached one RolePolicyAttachment each. */
  managedPolicies: string[];
  /** inline is an optional inline policy document (already a policy object). */
  inline?: { name: string; document: JsonObject };
}

/** role renders an IAM Role and one RolePolicyAttachment per managed policy (`<key>-<policy>`). */
export function role(ctx: RenderContext, spec: RoleSpec): Composed[] {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: spec.service }, Action: 'sts:AssumeRole' }],
  };
  const forProvider: JsonObject = { assumeRolePolicy: JSON.stringify(trust), description: spec.description };
  if (spec.inline !== undefined) {
    forProvider['inlinePolicy'] = [{ name: spec.inline.name, policy: JSON.stringify(spec.inline.document) }];
  }
  const out = [managed(ctx, spec.key, 'Role', forProvider)];
  for (const policy of spec.managedPolicies) {
    out.push(
      managed(ctx, `${spec.key}-${attachmentSuffix(policy)}`, 'RolePolicyAttachment', {
        policyArn: managedPolicyArn(ctx.plan.region, policy),
        roleSelector: select(spec.key),
      }),
    );
  }
  return out;
}

/** attachmentSuffix shortens a managed policy's name to a stable lower-case key suffix. */
function attachmentSuffix(policy: string): string {
  const base = policy.split('/').pop() ?? policy;
  return base
    .replace(/^Amazon|^AWS/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
}
