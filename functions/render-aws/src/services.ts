import type { Result, ServicePlan, Strategy } from '@scia/api';
import type { Composed, RenderContext } from './model.js';
import { network } from './network.js';
import { replicationGroup } from './services-cache.js';
import { auroraCluster, rdsInstance, type Credentials } from './services-db.js';
import { provisioned, wired } from './services-env.js';
import { serviceAlarms } from './services-monitoring.js';
import { dataSecurityGroup, privateNetwork, subnetGroup, type AppSource } from './services-network.js';
import { checkPrivate } from './services-private.js';
import { securityGroup } from './security.js';

/** ServicesRendered is what the app's database and cache add to a strategy's resources. */
export interface ServicesRendered {
  resources: Composed[];
  warnings: string[];
  waiting: string[];
}

/**
 * CREDENTIALS says where each strategy's app reads its generated passwords:
 * vm and serverless from the secret RDS manages in Secrets Manager (with
 * their IAM role), kubernetes from a Kubernetes Secret the provider fills.
 */
const CREDENTIALS: Record<Strategy, Credentials> = { vm: 'aws', kubernetes: 'secret', serverless: 'aws' };

/**
 * renderServices composes the decision's services for `strategy`: private
 * subnets (and, for serverless, which has no network otherwise, the VPC),
 * per service a subnet group, a security group admitting only the app's and
 * the database or cache itself, and with enable-monitoring its alarms.
 * A service the team brings must name its connection where the strategy can
 * read it: a Kubernetes Secret for kubernetes, a Secrets Manager secret for
 * vm and serverless; otherwise the claim is refused, naming the field. Under
 * private-data, a data service that could get a public address is refused.
 */
export function renderServices(ctx: RenderContext, strategy: Strategy): Result<ServicesRendered> {
  const plans = ctx.plan.services;
  const unreadable = wired(plans).find((p) => p.offering === 'external' && !readable(p, strategy));
  if (unreadable !== undefined) {
    const field = strategy === 'kubernetes' ? 'secretRef' : 'awsSecretArn';
    return { ok: false, error: `spec.services.${unreadable.kind}.${field}: a ${strategy} app reads the connection of a service the team brings from ${strategy === 'kubernetes' ? 'a Kubernetes Secret' : 'a Secrets Manager secret'}` };
  }
  const ours = provisioned(plans);
  if (ours.length === 0) return { ok: true, value: { resources: [], warnings: [], waiting: [] } };
  // A function has no network of its own: it gets the VPC, and `sg-app` to be admitted by.
  const functionNetwork = strategy === 'serverless' ? [...network(ctx).filter((r) => r.key === 'vpc'), ...securityGroup(ctx, 'sg-app', 'app function: outbound only', [])] : [];
  const resources: Composed[] = [...functionNetwork, ...privateNetwork(ctx)];
  const waiting: string[] = [];
  for (const plan of ours) {
    const sg = dataSecurityGroup(ctx, plan.kind, appSource(ctx, strategy));
    resources.push(subnetGroup(ctx, plan.kind), ...sg.resources, ...serviceResources(ctx, plan, CREDENTIALS[strategy]));
    waiting.push(...sg.waiting);
    if (ctx.plan.monitoring) resources.push(...serviceAlarms(ctx, plan));
  }
  if (ctx.plan.privateData) {
    const leak = checkPrivate(resources);
    if (leak !== undefined) return { ok: false, error: `spec.policies: private-data: ${leak}` };
  }
  return { ok: true, value: { resources, warnings: [], waiting } };
}

function serviceResources(ctx: RenderContext, plan: ServicePlan, mode: Credentials): Composed[] {
  if (plan.offering === 'elasticache') return [replicationGroup(ctx, plan, mode)];
  if (plan.offering === 'aurora-serverless-v2') return auroraCluster(ctx, plan, mode);
  return [rdsInstance(ctx, plan, mode)];
}

function readable(plan: ServicePlan, strategy: Strategy): boolean {
  return strategy === 'kubernetes' ? plan.external?.secretRef !== undefined : plan.external?.awsSecretArn !== undefined;
}

/** appSource is the security group the app runs in: vm's and serverless' `sg-app`, or the EKS cluster's own group once observed. */
function appSource(ctx: RenderContext, strategy: Strategy): AppSource | undefined {
  if (strategy !== 'kubernetes') return { securityGroup: 'sg-app' };
  const id = ctx.observed.services?.clusterSecurityGroupId;
  return id === undefined ? undefined : { securityGroupId: id };
}
