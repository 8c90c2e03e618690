import type { JsonObject } from '@scia/runtime';
import { managed, select } from './builder.js';
import type { Composed, RenderContext } from './model.js';

/** IngressSource is where an ingress rule admits traffic from: anywhere, or another of this XR's security groups. */
export type IngressSource = { cidr: '0.0.0.0/0' } | { securityGroup: string };

/** IngressRule admits TCP `port` from `source`. */
export interface IngressRule {
  key: string;
  port: number;
  source: IngressSource;
  description: string;
}

/**
 * securityGroup renders a security group in the VPC, one SecurityGroupIngressRule
 * per rule, and one egress rule allowing all outbound traffic (the provider
 * removes AWS's default egress rule, so it is stated).
 */
export function securityGroup(ctx: RenderContext, key: string, description: string, rules: IngressRule[]): Composed[] {
  const out = [managed(ctx, key, 'SecurityGroup', { description, vpcIdSelector: select('vpc') })];
  for (const rule of rules) {
    const source: JsonObject =
      'cidr' in rule.source ? { cidrIpv4: rule.source.cidr } : { referencedSecurityGroupIdSelector: select(rule.source.securityGroup) };
    out.push(
      managed(ctx, `${key}-${rule.key}`, 'SecurityGroupIngressRule', {
        description: rule.description,
        ipProtocol: 'tcp',
        fromPort: rule.port,
        toPort: rule.port,
        ...source,
        securityGroupIdSelector: select(key),
      }),
    );
  }
  out.push(
    managed(ctx, `${key}-egress`, 'SecurityGroupEgressRule', {
      description: 'all outbound traffic',
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      securityGroupIdSelector: select(key),
    }),
  );
  return out;
}
