import type { CostItem, DeploymentConfig, Policy, ServicePlan, Strategy } from '@scia/api';
import { isInstanceType } from './catalogue.js';
import { PRICING, regionPrices, type RegionPrices } from './pricing.js';
import { servicesItems } from './services-cost.js';

/**
 * ASSUMPTIONS are what the estimator cannot read from a configuration. Serverless
 * is priced for a steady 1M requests a month at 200 ms each (no free tier); logs
 * under monitoring as 1 GB ingested and kept a month; an ALB at one LCU on
 * average; load balancers in the renderer's two public subnets, one public IPv4
 * address each. Data transfer and Container Insights metrics are not priced.
 */
export const ASSUMPTIONS = {
  lambdaRequestsPerMonth: 1_000_000,
  lambdaAverageDurationMs: 200,
  /** monitoringAlarms mirrors the renderer: a CPU alarm (vm, kubernetes nodes), errors and throttles (Lambda). */
  monitoringAlarms: { vm: 1, kubernetes: 1, serverless: 2 },
  monitoringLogsGbMonth: 1,
  albAverageLcu: 1,
  loadBalancerAddresses: 2,
  // The sizes the renderer uses when a configuration leaves them out.
  defaults: { instanceType: 't3.small', volumeSizeGb: 20, nodeInstanceType: 't3.medium', nodeVolumeGb: 20, nodes: 2, memoryMb: 512 },
} as const;

/** CostEstimate is a monthly estimate in USD, itemized as the renderer's resources are. */
export interface CostEstimate {
  total: number;
  breakdown: CostItem[];
  /** warnings name what was priced by assumption (an unknown region or instance type). */
  warnings: string[];
}

export interface CostContext {
  region: string;
  policies: readonly Policy[];
  /** services plans the app's database and cache for a strategy; they are priced with it (none when absent). */
  services?: ((strategy: Strategy) => readonly ServicePlan[]) | undefined;
}

/**
 * estimateMonthlyCost prices what the renderer emits for `strategy` sized by
 * `config`: vm = auto scaling group instances, their gp3 root volumes and public
 * IPv4 addresses, plus an ALB under `require-https`; kubernetes = EKS control
 * plane, nodes, their volumes and addresses, and the Service's (classic) load
 * balancer, which also terminates TLS under `require-https`; serverless = Lambda
 * requests and GB-seconds (its function URL is HTTPS already). Alarms and logs
 * under `enable-monitoring`. Pure: same inputs, same figures.
 */
export function estimateMonthlyCost(strategy: Strategy, config: DeploymentConfig, ctx: CostContext): CostEstimate {
  const { prices, known } = regionPrices(ctx.region);
  const warnings = known ? [] : [`no price data for region ${ctx.region}: priced as us-east-1`];
  const services = servicesItems(ctx.services?.(strategy) ?? [], ctx);
  warnings.push(...services.warnings);
  const items = [...strategyItems(strategy, config, prices, warnings), ...policyItems(strategy, ctx.policies, prices), ...services.items];
  const breakdown = items.map((i) => ({ item: i.item, monthly: cents(i.monthly) }));
  const total = cents(breakdown.reduce((sum, i) => sum + i.monthly, 0));
  return { total, breakdown, warnings };
}

/**
 * atMaximumScale is `config` scaled to what its autoscaler may reach: vm at
 * maxSize instances, kubernetes at maxNodes nodes (serverless is priced per
 * request already). A hard budget is a promise about the worst month.
 */
export function atMaximumScale(strategy: Strategy, config: DeploymentConfig): DeploymentConfig {
  if (strategy === 'vm') {
    const desired = config.desiredCapacity ?? config.minSize ?? 1;
    return { ...config, desiredCapacity: Math.max(desired, config.maxSize ?? desired) };
  }
  if (strategy === 'kubernetes') {
    const desired = config.desiredNodes ?? config.minNodes ?? ASSUMPTIONS.defaults.nodes;
    return { ...config, desiredNodes: Math.max(desired, config.maxNodes ?? desired) };
  }
  return config;
}

/** estimateMaximumMonthlyCost is estimateMonthlyCost at the autoscaler's maximum (atMaximumScale). */
export function estimateMaximumMonthlyCost(strategy: Strategy, config: DeploymentConfig, ctx: CostContext): CostEstimate {
  return estimateMonthlyCost(strategy, atMaximumScale(strategy, config), ctx);
}

function strategyItems(strategy: Strategy, config: DeploymentConfig, prices: RegionPrices, warnings: string[]): CostItem[] {
  const d = ASSUMPTIONS.defaults;
  switch (strategy) {
    case 'vm': {
      const count = config.desiredCapacity ?? config.minSize ?? 1;
      const type = config.instanceType ?? d.instanceType;
      const gb = config.volumeSizeGb ?? d.volumeSizeGb;
      return [
        { item: `ec2 instances: ${count} x ${type}`, monthly: count * instanceMonthly(type, prices, warnings) },
        { item: `ebs gp3 volumes: ${count} x ${gb} GB`, monthly: count * gb * prices.gp3GbMonth },
        publicAddresses(count),
      ];
    }
    case 'kubernetes': {
      const count = config.desiredNodes ?? config.minNodes ?? d.nodes;
      const type = config.nodeInstanceType ?? d.nodeInstanceType;
      const gb = config.volumeSizeGb ?? d.nodeVolumeGb;
      return [
        { item: 'eks control plane', monthly: PRICING.eksControlPlaneHourly * PRICING.hoursPerMonth },
        { item: `eks nodes: ${count} x ${type}`, monthly: count * instanceMonthly(type, prices, warnings) },
        { item: `ebs gp3 node volumes: ${count} x ${gb} GB`, monthly: count * gb * prices.gp3GbMonth },
        { item: 'service load balancer (classic)', monthly: prices.albHourly * PRICING.clbToAlbRatio * PRICING.hoursPerMonth },
        publicAddresses(count + ASSUMPTIONS.loadBalancerAddresses),
      ];
    }
    case 'serverless': {
      const memoryMb = config.memoryMb ?? d.memoryMb;
      const requests = ASSUMPTIONS.lambdaRequestsPerMonth;
      const gbSeconds = (requests * (ASSUMPTIONS.lambdaAverageDurationMs / 1000) * memoryMb) / 1024;
      return [
        { item: `lambda requests: ${requests / 1_000_000}M/month`, monthly: (requests / 1_000_000) * PRICING.lambda.perMillionRequests },
        { item: `lambda compute: ${Math.round(gbSeconds)} GB-s at ${memoryMb} MB`, monthly: gbSeconds * PRICING.lambda.perGbSecond },
      ];
    }
  }
}

function policyItems(strategy: Strategy, policies: readonly Policy[], prices: RegionPrices): CostItem[] {
  const items: CostItem[] = [];
  // Lambda's function URL is HTTPS already, and the kubernetes Service's load balancer terminates TLS itself.
  if (policies.includes('require-https') && strategy === 'vm') {
    const hourly = prices.albHourly + ASSUMPTIONS.albAverageLcu * PRICING.albLcuHourly;
    items.push({ item: 'application load balancer (require-https)', monthly: hourly * PRICING.hoursPerMonth });
    items.push(publicAddresses(ASSUMPTIONS.loadBalancerAddresses, 'load balancer '));
  }
  if (policies.includes('enable-monitoring')) {
    const gb = ASSUMPTIONS.monitoringLogsGbMonth;
    const alarms = ASSUMPTIONS.monitoringAlarms[strategy];
    items.push({ item: `cloudwatch alarms: ${alarms}`, monthly: alarms * PRICING.cloudWatch.alarmMonthly });
    items.push({ item: `cloudwatch logs: ${gb} GB`, monthly: gb * (prices.logsIngestGb + PRICING.cloudWatch.logsStorageGbMonth) });
  }
  return items;
}

function publicAddresses(count: number, what = ''): CostItem {
  return { item: `${what}public ipv4 addresses: ${count}`, monthly: count * PRICING.publicIpv4Hourly * PRICING.hoursPerMonth };
}

function instanceMonthly(type: string, prices: RegionPrices, warnings: string[]): number {
  if (!isInstanceType(type)) {
    warnings.push(`no price data for instance type ${type}: priced as ${ASSUMPTIONS.defaults.instanceType}`);
    return PRICING.ec2HourlyUsEast1[ASSUMPTIONS.defaults.instanceType] * prices.ec2Factor * PRICING.hoursPerMonth;
  }
  return PRICING.ec2HourlyUsEast1[type] * prices.ec2Factor * PRICING.hoursPerMonth;
}

/** cents rounds a dollar amount to whole cents. */
function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
