import type { ServicePlan } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { managed, select } from './builder.js';
import type { Composed, RenderContext } from './model.js';
import { awsName } from './naming.js';
import { connectionSecretName, passwordSecretRef, type Credentials } from './services-db.js';
import { SERVICE_PORTS } from './services-network.js';

/** REPLICATION_GROUP_ID_MAX is ElastiCache's limit on a replication group's ID. */
const REPLICATION_GROUP_ID_MAX = 40;

/** replicationGroupId is the ElastiCache ID of the app's cache: `<xr>-redis`, within 40 characters. */
export const replicationGroupId = (ctx: RenderContext): string => awsName(ctx.target, 'redis', REPLICATION_GROUP_ID_MAX);

/**
 * replicationGroup renders the app's Redis: an ElastiCache replication group
 * in the private subnet group behind `sg-redis`, encrypted at rest and in
 * transit, with the plan's node type and count (automatic failover and
 * Multi-AZ with two nodes or more). With `secret` credentials the provider
 * generates an AUTH token into a Secret the workload reads; vm and serverless
 * have no Kubernetes to read it from, and rely on TLS and the security group.
 */
export function replicationGroup(ctx: RenderContext, plan: ServicePlan, mode: Credentials): Composed {
  const id = replicationGroupId(ctx);
  const nodes = plan.nodes ?? 1;
  const forProvider: JsonObject = {
    description: `SCIA ${ctx.target.deployment}: the app's cache`,
    engine: 'redis',
    engineVersion: plan.engineVersion ?? '7.1',
    nodeType: plan.instanceClass ?? 'cache.t4g.small',
    numCacheClusters: nodes,
    automaticFailoverEnabled: nodes > 1,
    multiAzEnabled: nodes > 1 && plan.multiAz,
    port: SERVICE_PORTS.redis,
    atRestEncryptionEnabled: 'true',
    transitEncryptionEnabled: true,
    subnetGroupNameSelector: select('redis-subnets'),
    securityGroupIdSelector: select('sg-redis'),
    snapshotRetentionLimit: plan.backupRetentionDays ?? 0,
    autoMinorVersionUpgrade: 'true',
  };
  if (mode === 'secret') {
    forProvider['autoGenerateAuthToken'] = true;
    forProvider['authTokenSecretRef'] = passwordSecretRef(ctx, 'redis');
  }
  if (plan.production) forProvider['finalSnapshotIdentifier'] = `${id}-final`;
  return managed(ctx, 'redis', 'ReplicationGroup', forProvider, { connectionSecret: connectionSecretName(ctx, 'redis'), externalName: id });
}
