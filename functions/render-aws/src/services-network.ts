import type { DataServiceKind } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { managed, select, selectLabel } from './builder.js';
import type { Composed, RenderContext } from './model.js';
import { resourceName } from './naming.js';
import { SUBNET_LABEL } from './network.js';

/** PRIVATE_SUBNETS are where data services live: one per zone, with no route out of the VPC. */
export const PRIVATE_SUBNETS = [
  { key: 'subnet-private-a', zone: 'a', cidr: '10.0.128.0/20' },
  { key: 'subnet-private-b', zone: 'b', cidr: '10.0.144.0/20' },
] as const;

/** privateSubnets selects both private subnets of this XR. */
export const privateSubnets = (): JsonObject => selectLabel(SUBNET_LABEL, 'private');

/** SERVICE_PORTS are the ports each data service listens on. */
export const SERVICE_PORTS: Readonly<Record<DataServiceKind, number>> = { postgresql: 5432, mysql: 3306, redis: 6379 };

/**
 * privateNetwork renders the two private subnets. They are associated with no
 * route table, so they use the VPC's main one, which routes only inside the
 * VPC: nothing in them can be reached from, or reach, the internet.
 */
export function privateNetwork(ctx: RenderContext): Composed[] {
  return PRIVATE_SUBNETS.map((s) =>
    managed(
      ctx,
      s.key,
      'Subnet',
      { availabilityZone: `${ctx.plan.region}${s.zone}`, cidrBlock: s.cidr, mapPublicIpOnLaunch: false, vpcIdSelector: select('vpc') },
      { labels: { [SUBNET_LABEL]: 'private' }, tags: { Name: resourceName(ctx.target, s.key) } },
    ),
  );
}

/** AppSource is what a data service admits: one of this XR's security groups, or one observed by ID (the EKS cluster's). */
export type AppSource = { securityGroup: string } | { securityGroupId: string };

/**
 * dataSecurityGroup renders `sg-<kind>` admitting TCP on the service's port
 * from the app's security group only, and no egress rule: the provider drops
 * AWS's default allow-all egress, and a data service starts no connection.
 * Without a source (the EKS cluster's group not observed yet) only the group
 * is rendered and the rule is reported as waiting.
 */
export function dataSecurityGroup(ctx: RenderContext, kind: DataServiceKind, source: AppSource | undefined): { resources: Composed[]; waiting: string[] } {
  const key = `sg-${kind}`;
  const port = SERVICE_PORTS[kind];
  const resources = [managed(ctx, key, 'SecurityGroup', { description: `${kind}: port ${port} from the app only`, vpcIdSelector: select('vpc') })];
  if (source === undefined) return { resources, waiting: [`${key}-ingress (needs the cluster's security group)`] };
  const from: JsonObject = 'securityGroup' in source ? { referencedSecurityGroupIdSelector: select(source.securityGroup) } : { referencedSecurityGroupId: source.securityGroupId };
  resources.push(
    managed(ctx, `${key}-ingress`, 'SecurityGroupIngressRule', {
      description: `${kind} from the app`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      ...from,
      securityGroupIdSelector: select(key),
    }),
  );
  return { resources, waiting: [] };
}

/** subnetGroup renders the RDS or ElastiCache subnet group `<kind>-subnets` over the private subnets. */
export function subnetGroup(ctx: RenderContext, kind: DataServiceKind): Composed {
  const forProvider = { description: `SCIA ${ctx.target.deployment}: ${kind} in private subnets`, subnetIdSelector: privateSubnets() };
  return managed(ctx, `${kind}-subnets`, kind === 'redis' ? 'CacheSubnetGroup' : 'DBSubnetGroup', forProvider);
}
