import type { ServicePlan } from '@scia/api';
import { partition } from './builder.js';
import type { RenderContext } from './model.js';
import { replicationGroupId } from './services-cache.js';
import { dbIdentifier } from './services-db.js';

/** wired is the plans the app is given a connection for: every service but a skipped one. */
export const wired = (plans: readonly ServicePlan[]): ServicePlan[] => plans.filter((p) => p.offering !== 'none');

/** provisioned is the plans SCIA composes resources for. */
export const provisioned = (plans: readonly ServicePlan[]): ServicePlan[] => plans.filter((p) => p.offering !== 'none' && p.offering !== 'external');

/**
 * envPrefix is the prefix of a service's variables: `DATABASE` for the app's
 * database (`MYSQL` for MySQL beside PostgreSQL), `REDIS` for its cache. The
 * app reads `<prefix>_URL`, and `_HOST`, `_PORT`, `_NAME`, `_USER`,
 * `_PASSWORD` where they apply.
 */
export function envPrefix(plan: ServicePlan, plans: readonly ServicePlan[]): string {
  if (plan.kind === 'redis') return 'REDIS';
  if (plan.kind === 'mysql' && plans.some((p) => p.kind === 'postgresql' && p.offering !== 'none')) return 'MYSQL';
  return 'DATABASE';
}

/** urlScheme is the scheme of a service's URL (Redis over TLS: ElastiCache encrypts in transit). */
export function urlScheme(plan: ServicePlan): string {
  return plan.kind === 'redis' ? 'rediss' : plan.kind;
}

/** Statement is one IAM policy statement. */
export interface Statement {
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/**
 * readStatements are what the app's role needs to read its services'
 * connections at start: describe its RDS instance, cluster or replication
 * group (for the address and the managed secret's ARN), and read the secret
 * RDS manages its master password in (only that one: matched by the tag RDS
 * puts on it), or the team's own secret when it brings its endpoint.
 */
export function readStatements(ctx: RenderContext, what: 'describe-and-read' | 'read'): Statement[] {
  const p = partition(ctx.plan.region);
  const r = ctx.plan.region;
  const out: Statement[] = [];
  for (const plan of wired(ctx.plan.services)) {
    if (plan.offering === 'external') {
      const arn = plan.external?.awsSecretArn;
      if (arn !== undefined) out.push({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [arn, `${arn}-??????`] });
      continue;
    }
    if (plan.offering === 'elasticache') {
      if (what === 'describe-and-read') out.push({ Effect: 'Allow', Action: 'elasticache:DescribeReplicationGroups', Resource: `arn:${p}:elasticache:${r}:*:replicationgroup:${replicationGroupId(ctx)}` });
      continue;
    }
    const cluster = plan.offering === 'aurora-serverless-v2';
    const arn = `arn:${p}:rds:${r}:*:${cluster ? 'cluster' : 'db'}:${dbIdentifier(ctx, plan.kind)}`;
    if (what === 'describe-and-read') out.push({ Effect: 'Allow', Action: cluster ? 'rds:DescribeDBClusters' : 'rds:DescribeDBInstances', Resource: arn });
    out.push({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:${p}:secretsmanager:${r}:*:secret:rds!*`,
      Condition: { StringLike: { [`secretsmanager:ResourceTag/aws:rds:primaryDB${cluster ? 'Cluster' : 'Instance'}Arn`]: arn } },
    });
  }
  return out;
}
