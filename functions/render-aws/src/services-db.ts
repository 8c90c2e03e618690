import type { ServicePlan } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { CONNECTION_SECRET_NAMESPACE, managed, select } from './builder.js';
import type { Composed, RenderContext } from './model.js';
import { resourceName } from './naming.js';
import { SERVICE_PORTS } from './services-network.js';

/** DB_USER and DB_NAME are the master user and the database SCIA creates for the app. */
export const DB_USER = 'app';
export const DB_NAME = 'app';

/**
 * Credentials says where the provider puts a generated password: `aws` keeps
 * it in a Secrets Manager secret RDS manages (vm and serverless read it there
 * with their IAM role), `secret` has the provider generate it into a
 * Kubernetes Secret (kubernetes copies it into the workload's Secret).
 */
export type Credentials = 'aws' | 'secret';

/** connectionSecretName is the Secret the provider writes a service's connection details to. */
export const connectionSecretName = (ctx: RenderContext, kind: string): string => resourceName(ctx.target, `${kind}-conn`);

/** passwordSecretName is the Secret the provider generates a service's password (or auth token) into, key `password`. */
export const passwordSecretName = (ctx: RenderContext, kind: string): string => resourceName(ctx.target, `${kind}-password`);

/** passwordSecretRef points at passwordSecretName (namespaced resources read it from their own namespace). */
export function passwordSecretRef(ctx: RenderContext, kind: string): JsonObject {
  const ref: JsonObject = { name: passwordSecretName(ctx, kind), key: 'password' };
  if (ctx.target.scope === 'cluster') ref['namespace'] = CONNECTION_SECRET_NAMESPACE;
  return ref;
}

/** dbIdentifier is the RDS identifier of a service: `<xr>-<kind>`, within RDS's 63 characters. */
export const dbIdentifier = (ctx: RenderContext, kind: string): string => resourceName(ctx.target, kind);

/**
 * protection is what a production plan adds: deletion protection and a final
 * snapshot named after the identifier; elsewhere deletion skips the snapshot.
 */
function protection(plan: ServicePlan, identifier: string): JsonObject {
  return plan.production
    ? { deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }
    : { deletionProtection: false, skipFinalSnapshot: true };
}

function credentials(ctx: RenderContext, plan: ServicePlan, mode: Credentials, field: 'passwordSecretRef' | 'masterPasswordSecretRef'): JsonObject {
  return mode === 'aws' ? { manageMasterUserPassword: true } : { autoGeneratePassword: true, [field]: passwordSecretRef(ctx, plan.kind) };
}

/**
 * rdsInstance renders an encrypted gp3 RDS instance in the private subnet
 * group, behind `sg-<kind>`, never publicly accessible, with the plan's
 * class, storage (autoscaling to twice it), Multi-AZ and backups.
 */
export function rdsInstance(ctx: RenderContext, plan: ServicePlan, mode: Credentials): Composed {
  const identifier = dbIdentifier(ctx, plan.kind);
  const storage = plan.storageGb ?? 20;
  return managed(
    ctx,
    plan.kind,
    'DBInstance',
    {
      identifier,
      engine: plan.engine ?? 'postgres',
      engineVersion: plan.engineVersion ?? '16',
      instanceClass: plan.instanceClass ?? 'db.t4g.small',
      allocatedStorage: storage,
      maxAllocatedStorage: storage * 2,
      storageType: 'gp3',
      storageEncrypted: true,
      multiAz: plan.multiAz,
      dbName: DB_NAME,
      username: DB_USER,
      port: SERVICE_PORTS[plan.kind],
      ...credentials(ctx, plan, mode, 'passwordSecretRef'),
      publiclyAccessible: false,
      dbSubnetGroupNameSelector: select(`${plan.kind}-subnets`),
      vpcSecurityGroupIdSelector: select(`sg-${plan.kind}`),
      backupRetentionPeriod: plan.backupRetentionDays ?? 7,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      ...protection(plan, identifier),
    },
    { connectionSecret: connectionSecretName(ctx, plan.kind) },
  );
}

/**
 * auroraCluster renders an encrypted Aurora Serverless v2 cluster (its ACU
 * range from the plan; a minimum of 0 pauses it when idle) and one
 * `db.serverless` instance per plan node, spread over the private subnets.
 */
export function auroraCluster(ctx: RenderContext, plan: ServicePlan, mode: Credentials): Composed[] {
  const identifier = dbIdentifier(ctx, plan.kind);
  const capacity = plan.capacity ?? { min: 0, max: 4 };
  const scaling: JsonObject = { minCapacity: capacity.min, maxCapacity: capacity.max };
  if (capacity.min === 0) scaling['secondsUntilAutoPause'] = 3600;
  const cluster = managed(
    ctx,
    plan.kind,
    'DBCluster',
    {
      engine: plan.engine ?? 'aurora-postgresql',
      engineVersion: plan.engineVersion ?? '16.6',
      engineMode: 'provisioned',
      serverlessv2ScalingConfiguration: scaling,
      databaseName: DB_NAME,
      masterUsername: DB_USER,
      port: SERVICE_PORTS[plan.kind],
      ...credentials(ctx, plan, mode, 'masterPasswordSecretRef'),
      storageEncrypted: true,
      dbSubnetGroupNameSelector: select(`${plan.kind}-subnets`),
      vpcSecurityGroupIdSelector: select(`sg-${plan.kind}`),
      backupRetentionPeriod: Math.max(1, plan.backupRetentionDays ?? 7),
      copyTagsToSnapshot: true,
      ...protection(plan, identifier),
    },
    { connectionSecret: connectionSecretName(ctx, plan.kind), externalName: identifier },
  );
  const instances = Array.from({ length: plan.nodes ?? 1 }, (_, i) => {
    const key = `${plan.kind}-instance-${i + 1}`;
    return managed(
      ctx,
      key,
      'DBClusterInstance',
      {
        engine: plan.engine ?? 'aurora-postgresql',
        instanceClass: 'db.serverless',
        clusterIdentifierSelector: select(plan.kind),
        dbSubnetGroupNameSelector: select(`${plan.kind}-subnets`),
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
      },
      { externalName: resourceName(ctx.target, key) },
    );
  });
  return [cluster, ...instances];
}
