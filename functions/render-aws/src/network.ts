import type { JsonObject } from '@scia/runtime';
import { managed, select, selectLabel } from './builder.js';
import { NETWORK } from './defaults.js';
import type { Composed, RenderContext } from './model.js';
import { resourceName } from './naming.js';

/** SUBNET_LABEL marks the public subnets, so one selector can pick both. */
export const SUBNET_LABEL = 'scia.io/subnet';

/** publicSubnets selects both public subnets of this XR. */
export const publicSubnets = (): JsonObject => selectLabel(SUBNET_LABEL, 'public');

/**
 * network renders a VPC with one public subnet in each of the region's first
 * two availability zones (`<region>a`, `<region>b`), an internet gateway, and
 * one route table with a default route through it, associated with both
 * subnets. There are no private subnets and no NAT gateway: instances and
 * nodes get public addresses and reach the internet directly (to fetch code
 * and images), and only the security groups decide what reaches them. That
 * saves a NAT gateway per deployment; put the app behind require-https to
 * expose only the load balancer.
 */
export function network(ctx: RenderContext, opts: { eksCluster?: string } = {}): Composed[] {
  const out: Composed[] = [
    managed(ctx, 'vpc', 'VPC', { cidrBlock: NETWORK.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true }),
  ];
  for (const subnet of NETWORK.subnets) {
    const tags: Record<string, string> = { Name: resourceName(ctx.target, subnet.key) };
    if (opts.eksCluster !== undefined) {
      // The cloud provider in the cluster places internet-facing Service load balancers in subnets tagged so.
      tags['kubernetes.io/role/elb'] = '1';
      tags[`kubernetes.io/cluster/${opts.eksCluster}`] = 'shared';
    }
    out.push(
      managed(
        ctx,
        subnet.key,
        'Subnet',
        {
          availabilityZone: `${ctx.plan.region}${subnet.zone}`,
          cidrBlock: subnet.cidr,
          mapPublicIpOnLaunch: true,
          vpcIdSelector: select('vpc'),
        },
        { labels: { [SUBNET_LABEL]: 'public' }, tags },
      ),
    );
  }
  out.push(
    managed(ctx, 'igw', 'InternetGateway', { vpcIdSelector: select('vpc') }),
    managed(ctx, 'rt', 'RouteTable', { vpcIdSelector: select('vpc') }),
    managed(ctx, 'rt-default', 'Route', {
      destinationCidrBlock: '0.0.0.0/0',
      gatewayIdSelector: select('igw'),
      routeTableIdSelector: select('rt'),
    }),
  );
  for (const subnet of NETWORK.subnets) {
    out.push(
      managed(ctx, `rt-${subnet.key}`, 'RouteTableAssociation', {
        routeTableIdSelector: select('rt'),
        subnetIdSelector: select(subnet.key),
      }),
    );
  }
  return out;
}
