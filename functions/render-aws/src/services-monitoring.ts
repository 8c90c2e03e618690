import type { ServicePlan } from '@scia/api';
import type { Composed, RenderContext } from './model.js';
import { alarm, type AlarmSpec } from './monitoring.js';
import { replicationGroupId } from './services-cache.js';
import { dbIdentifier } from './services-db.js';

/** CONNECTIONS_ALARM is the connection count that raises an alarm: past what a small class serves comfortably. */
const CONNECTIONS_ALARM = { db: 80, cache: 1000 } as const;

/**
 * serviceAlarms are enable-monitoring's alarms for one provisioned service
 * (SERVICE_ALARMS in the cost estimate): CPU above 80% for 15 minutes, storage
 * running out (an RDS instance under a tenth of its allocation free, Aurora
 * Serverless v2 near its ACU ceiling, Redis memory above 80%), and
 * connections above CONNECTIONS_ALARM.
 */
export function serviceAlarms(ctx: RenderContext, plan: ServicePlan): Composed[] {
  const who = `${ctx.target.deployment} ${plan.kind}`;
  const common = { statistic: 'Average' as const, comparison: 'GreaterThanThreshold' as const, evaluationPeriods: 3 };
  const specs: AlarmSpec[] = [];
  if (plan.offering === 'elasticache') {
    // Member clusters of a replication group are named <group>-001, -002, ...; the primary starts as -001.
    const dimensions = { CacheClusterId: `${replicationGroupId(ctx)}-001` };
    const ns = 'AWS/ElastiCache';
    specs.push(
      { ...common, key: 'alarm-redis-cpu', description: `${who}: engine CPU above 80% for 15 minutes`, namespace: ns, metricName: 'EngineCPUUtilization', dimensions, threshold: 80 },
      { ...common, key: 'alarm-redis-memory', description: `${who}: memory above 80% for 15 minutes`, namespace: ns, metricName: 'DatabaseMemoryUsagePercentage', dimensions, threshold: 80 },
      { ...common, key: 'alarm-redis-connections', description: `${who}: more than ${CONNECTIONS_ALARM.cache} connections`, namespace: ns, metricName: 'CurrConnections', dimensions, statistic: 'Maximum', threshold: CONNECTIONS_ALARM.cache },
    );
  } else {
    const cluster = plan.offering === 'aurora-serverless-v2';
    const dimensions = cluster ? { DBClusterIdentifier: dbIdentifier(ctx, plan.kind) } : { DBInstanceIdentifier: dbIdentifier(ctx, plan.kind) };
    const key = `alarm-${plan.kind}`;
    const ns = 'AWS/RDS';
    const storage: AlarmSpec = cluster
      ? { ...common, key: `${key}-capacity`, description: `${who}: above 90% of its ACU ceiling for 15 minutes`, namespace: ns, metricName: 'ACUUtilization', dimensions, threshold: 90 }
      : { ...common, key: `${key}-storage`, description: `${who}: under 10% of its storage free`, namespace: ns, metricName: 'FreeStorageSpace', dimensions, statistic: 'Minimum', comparison: 'LessThanThreshold', evaluationPeriods: 1, threshold: (plan.storageGb ?? 20) * 0.1 * 1024 ** 3 };
    specs.push(
      { ...common, key: `${key}-cpu`, description: `${who}: CPU above 80% for 15 minutes`, namespace: ns, metricName: 'CPUUtilization', dimensions, threshold: 80 },
      storage,
      { ...common, key: `${key}-connections`, description: `${who}: more than ${CONNECTIONS_ALARM.db} connections`, namespace: ns, metricName: 'DatabaseConnections', dimensions, statistic: 'Maximum', threshold: CONNECTIONS_ALARM.db },
    );
  }
  return specs.map((s) => alarm(ctx, s));
}
