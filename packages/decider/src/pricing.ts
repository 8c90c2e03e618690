import type { InstanceType } from './catalogue.js';

/**
 * Pricing data for the cost estimator: AWS on-demand list prices in USD.
 *
 * Sources (public price pages, Linux, no reservations, no free tier):
 *   https://aws.amazon.com/ec2/pricing/on-demand/
 *   https://aws.amazon.com/ebs/pricing/            (gp3 storage, per GB-month)
 *   https://aws.amazon.com/eks/pricing/            (standard support control plane)
 *   https://aws.amazon.com/lambda/pricing/         (x86, requests and GB-seconds)
 *   https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer)
 *   https://aws.amazon.com/vpc/pricing/            (NAT gateway, public IPv4 addresses)
 *   https://aws.amazon.com/cloudwatch/pricing/     (standard alarms, logs)
 *
 * EC2 prices are listed for us-east-1; other regions apply `ec2Factor`, the ratio
 * of that region's m5.large price to us-east-1's (0.096 USD/h). It is exact for
 * m5/m6i and within a few percent for the other families: an estimate, not an
 * invoice. Refresh the figures and PRICING.asOf together.
 */
export const PRICING = {
  asOf: '2025-06-01',
  currency: 'USD',
  hoursPerMonth: 730,
  /** ec2HourlyUsEast1 is the us-east-1 on-demand hourly price of each catalogue type. */
  ec2HourlyUsEast1: {
    't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832,
    't3.xlarge': 0.1664, 't3.2xlarge': 0.3328,
    'm5.large': 0.096, 'm5.xlarge': 0.192, 'm5.2xlarge': 0.384, 'm5.4xlarge': 0.768,
    'm6i.large': 0.096, 'm6i.xlarge': 0.192, 'm6i.2xlarge': 0.384, 'm6i.4xlarge': 0.768,
    'c5.large': 0.085, 'c5.xlarge': 0.17, 'c5.2xlarge': 0.34,
    'c6i.large': 0.085, 'c6i.xlarge': 0.17, 'c6i.2xlarge': 0.34,
    'r5.large': 0.126, 'r5.xlarge': 0.252,
    'r6i.large': 0.126, 'r6i.xlarge': 0.252,
    'g4dn.xlarge': 0.526, 'g4dn.2xlarge': 0.752,
  } satisfies Record<InstanceType, number>,
  /** eksControlPlaneHourly is the same in every commercial region. */
  eksControlPlaneHourly: 0.1,
  lambda: { perMillionRequests: 0.2, perGbSecond: 0.0000166667 },
  cloudWatch: { alarmMonthly: 0.1, logsStorageGbMonth: 0.03 },
  albLcuHourly: 0.008,
  natPerGbProcessed: 0.045,
  /** publicIpv4Hourly is charged per public IPv4 address in use, in every region. */
  publicIpv4Hourly: 0.005,
  /** clbToAlbRatio: a Classic Load Balancer hour costs 0.025 USD where an ALB hour costs 0.0225 (us-east-1). */
  clbToAlbRatio: 0.025 / 0.0225,
} as const;

/** RegionPrices are the per-region figures; regions missing here are priced as us-east-1, with a Warning. */
export interface RegionPrices {
  ec2Factor: number;
  gp3GbMonth: number;
  albHourly: number;
  natHourly: number;
  logsIngestGb: number;
}

const region = (ec2Factor: number, gp3GbMonth: number, albHourly: number, natHourly: number, logsIngestGb: number): RegionPrices =>
  ({ ec2Factor, gp3GbMonth, albHourly, natHourly, logsIngestGb });

export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': region(1, 0.08, 0.0225, 0.045, 0.5),
  'us-east-2': region(1, 0.08, 0.0225, 0.045, 0.5),
  'us-west-1': region(1.1667, 0.096, 0.0252, 0.048, 0.5),
  'us-west-2': region(1, 0.08, 0.0225, 0.045, 0.5),
  'ca-central-1': region(1.1146, 0.088, 0.02475, 0.05, 0.55),
  'eu-west-1': region(1.1146, 0.088, 0.0252, 0.048, 0.57),
  'eu-west-2': region(1.1563, 0.0928, 0.02646, 0.05, 0.5985),
  'eu-west-3': region(1.1667, 0.0928, 0.02646, 0.05, 0.5985),
  'eu-central-1': region(1.1979, 0.0952, 0.027, 0.052, 0.63),
  'eu-north-1': region(1.0625, 0.0836, 0.02394, 0.046, 0.5985),
  'ap-south-1': region(1.0521, 0.0912, 0.0239, 0.056, 0.67),
  'ap-southeast-1': region(1.25, 0.096, 0.0252, 0.059, 0.7),
  'ap-southeast-2': region(1.25, 0.096, 0.0252, 0.059, 0.7),
  'ap-northeast-1': region(1.2917, 0.096, 0.0243, 0.062, 0.76),
  'sa-east-1': region(1.5938, 0.152, 0.034, 0.093, 0.8),
};

/** regionPrices returns a region's figures and whether they are its own (false: priced as us-east-1). */
export function regionPrices(name: string): { prices: RegionPrices; known: boolean } {
  const own = REGION_PRICES[name];
  if (own !== undefined) return { prices: own, known: true };
  return { prices: REGION_PRICES['us-east-1'] ?? region(1, 0.08, 0.0225, 0.045, 0.5), known: false };
}
