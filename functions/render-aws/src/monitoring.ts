import { managed, select } from './builder.js';
import { LOG_RETENTION_DAYS } from './defaults.js';
import type { Composed, RenderContext, Target } from './model.js';
import { resourceName } from './naming.js';

export interface AlarmSpec {
  key: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: 'Average' | 'Sum' | 'Maximum' | 'Minimum';
  threshold: number;
  comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  evaluationPeriods: number;
}

/**
 * alarm renders a CloudWatch metric alarm over 5-minute periods. Alarms carry
 * no actions: they show state in CloudWatch; routing them (SNS, paging) is the
 * team's choice.
 */
export function alarm(ctx: RenderContext, spec: AlarmSpec): Composed {
  return managed(ctx, spec.key, 'MetricAlarm', {
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    statistic: spec.statistic,
    period: 300,
    evaluationPeriods: spec.evaluationPeriods,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    treatMissingData: 'notBreaching',
  });
}

/** logGroup renders a log group named `name` (its external name) with the standard retention. */
export function logGroup(ctx: RenderContext, key: string, name: string): Composed {
  return managed(ctx, key, 'LogGroup', { retentionInDays: LOG_RETENTION_DAYS }, { externalName: name });
}

/** vmLogGroupName is the log group the CloudWatch agent ships a vm app's log to. */
export function vmLogGroupName(target: Target): string {
  return `/scia/${target.namespace === '' ? '_' : target.namespace}/${target.deployment}`;
}

/** vmMonitoring: the app's log group (fed by the agent in user data) and a CPU alarm on the auto scaling group. */
export function vmMonitoring(ctx: RenderContext): Composed[] {
  return [
    logGroup(ctx, 'logs', vmLogGroupName(ctx.target)),
    alarm(ctx, {
      key: 'alarm-cpu',
      description: `${ctx.target.deployment}: average CPU above 80% for 15 minutes`,
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: resourceName(ctx.target, 'asg') },
      statistic: 'Average',
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    }),
  ];
}

/**
 * kubernetesMonitoring: the control plane's log group (created first so its
 * retention is ours), the CloudWatch observability add-on (Container Insights
 * and container logs), and a node CPU alarm.
 */
export function kubernetesMonitoring(ctx: RenderContext, clusterName: string): Composed[] {
  return [
    logGroup(ctx, 'logs', `/aws/eks/${clusterName}/cluster`),
    managed(ctx, 'addon-observability', 'Addon', {
      addonName: 'amazon-cloudwatch-observability',
      clusterNameSelector: select('cluster'),
    }),
    alarm(ctx, {
      key: 'alarm-node-cpu',
      description: `${ctx.target.deployment}: node CPU above 80% for 15 minutes`,
      namespace: 'ContainerInsights',
      metricName: 'node_cpu_utilization',
      dimensions: { ClusterName: clusterName },
      statistic: 'Average',
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    }),
  ];
}

/** serverlessMonitoring: alarms on the function's errors and throttles. */
export function serverlessMonitoring(ctx: RenderContext, functionName: string): Composed[] {
  const common = { namespace: 'AWS/Lambda', dimensions: { FunctionName: functionName }, statistic: 'Sum' as const };
  return [
    alarm(ctx, {
      ...common,
      key: 'alarm-errors',
      description: `${ctx.target.deployment}: function errors in 5 minutes`,
      metricName: 'Errors',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
    }),
    alarm(ctx, {
      ...common,
      key: 'alarm-throttles',
      description: `${ctx.target.deployment}: throttled invocations in 5 minutes`,
      metricName: 'Throttles',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
    }),
  ];
}
