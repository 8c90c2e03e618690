import type { CostItem, ServicePlan } from '@scia/api';
import { PRICING, regionPrices } from './pricing.js';

/**
 * SERVICE_PRICING is what the estimator knows of RDS, Aurora Serverless v2
 * and ElastiCache: AWS on-demand list prices in USD, us-east-1, as of
 * PRICING.asOf (refresh both together). Other regions apply the region's
 * `ec2Factor` (see pricing.ts): an estimate, not an invoice.
 *
 * Sources (public price pages, no reservations, no free tier):
 *   https://aws.amazon.com/rds/postgresql/pricing/   (single-AZ instance hours, gp3 storage, backup storage)
 *   https://aws.amazon.com/rds/mysql/pricing/
 *   https://aws.amazon.com/rds/aurora/pricing/       (Serverless v2 ACU-hours, Aurora Standard storage and I/O)
 *   https://aws.amazon.com/elasticache/pricing/      (on-demand node hours)
 * A Multi-AZ RDS instance costs twice the single-AZ one (instance and storage).
 */
export const SERVICE_PRICING = {
  asOf: PRICING.asOf,
  rdsHourly: {
    postgres: {
      'db.t4g.micro': 0.016, 'db.t4g.small': 0.032, 'db.t4g.medium': 0.065, 'db.t4g.large': 0.129,
      'db.m6g.large': 0.159, 'db.m6g.xlarge': 0.318, 'db.r6g.large': 0.225, 'db.r6g.xlarge': 0.45,
    },
    mysql: {
      'db.t4g.micro': 0.016, 'db.t4g.small': 0.032, 'db.t4g.medium': 0.065, 'db.t4g.large': 0.129,
      'db.m6g.large': 0.152, 'db.m6g.xlarge': 0.304, 'db.r6g.large': 0.215, 'db.r6g.xlarge': 0.43,
    },
  } as Record<'postgres' | 'mysql', Record<string, number>>,
  rdsGp3GbMonth: 0.115,
  rdsBackupGbMonth: 0.095,
  auroraAcuHourly: 0.12,
  auroraStorageGbMonth: 0.1,
  auroraPerMillionIo: 0.2,
  cacheHourly: {
    'cache.t4g.micro': 0.016, 'cache.t4g.small': 0.032, 'cache.t4g.medium': 0.065,
    'cache.m6g.large': 0.149, 'cache.m6g.xlarge': 0.298, 'cache.r6g.large': 0.206,
  } as Record<string, number>,
} as const;

/**
 * SERVICE_ASSUMPTIONS are what the estimator cannot read from a plan: an
 * Aurora Serverless v2 cluster that may pause (minimum 0 ACU) is active a
 * quarter of the month at its 0.5 ACU floor; Aurora's I/O is two requests per
 * Lambda request at the serverless request assumption (1M a month); backups
 * beyond the free allowance (one copy of the allocated storage) grow by a
 * quarter of the allocated storage per week of retention past the first.
 */
export const SERVICE_ASSUMPTIONS = {
  auroraActiveShare: 0.25,
  auroraMillionIoPerMonth: 2,
  auroraStorageGb: 20,
  backupGrowthPerWeek: 0.25,
  defaults: { db: 'db.t4g.small', cache: 'cache.t4g.small' },
} as const;

/** ServiceCost is a plan's monthly estimate, itemized, with warnings for what was priced by assumption. */
export interface ServiceCost {
  total: number;
  items: CostItem[];
  warnings: string[];
}

/** priceService estimates one planned service a month in `region`; external and skipped services cost nothing. */
export function priceService(plan: ServicePlan, region: string): ServiceCost {
  const { prices } = regionPrices(region);
  const warnings: string[] = [];
  const factor = prices.ec2Factor;
  const hours = PRICING.hoursPerMonth;
  const items: CostItem[] = [];
  if (plan.offering === 'rds-instance') {
    const engine = plan.engine === 'mysql' ? 'mysql' : 'postgres';
    const hourly = lookup(SERVICE_PRICING.rdsHourly[engine], plan.instanceClass, SERVICE_ASSUMPTIONS.defaults.db, warnings);
    const az = plan.multiAz ? 2 : 1;
    const gb = plan.storageGb ?? 20;
    const label = `${plan.kind} rds`;
    items.push({ item: `${label}: ${plan.instanceClass ?? SERVICE_ASSUMPTIONS.defaults.db}${plan.multiAz ? ' multi-az' : ''}`, monthly: hourly * az * hours * factor });
    items.push({ item: `${label} gp3 storage: ${gb} GB${plan.multiAz ? ' multi-az' : ''}`, monthly: gb * az * SERVICE_PRICING.rdsGp3GbMonth * factor });
    const weeks = Math.ceil((plan.backupRetentionDays ?? 0) / 7);
    if (weeks > 1) {
      const extra = gb * SERVICE_ASSUMPTIONS.backupGrowthPerWeek * (weeks - 1);
      items.push({ item: `${label} backups: ${plan.backupRetentionDays} days (${extra} GB past the free allowance)`, monthly: extra * SERVICE_PRICING.rdsBackupGbMonth * factor });
    }
  } else if (plan.offering === 'aurora-serverless-v2') {
    const nodes = plan.nodes ?? 1;
    const min = plan.capacity?.min ?? 0;
    const acuHours = min === 0 ? 0.5 * hours * SERVICE_ASSUMPTIONS.auroraActiveShare : min * hours;
    const label = `${plan.kind} aurora serverless v2`;
    items.push({ item: `${label}: ${nodes} x ${min === 0 ? `0.5 ACU ${SERVICE_ASSUMPTIONS.auroraActiveShare * 100}% of the month` : `${min} ACU`}`, monthly: nodes * acuHours * SERVICE_PRICING.auroraAcuHourly * factor });
    items.push({ item: `${label} storage: ${SERVICE_ASSUMPTIONS.auroraStorageGb} GB`, monthly: SERVICE_ASSUMPTIONS.auroraStorageGb * SERVICE_PRICING.auroraStorageGbMonth * factor });
    items.push({ item: `${label} i/o: ${SERVICE_ASSUMPTIONS.auroraMillionIoPerMonth}M requests`, monthly: SERVICE_ASSUMPTIONS.auroraMillionIoPerMonth * SERVICE_PRICING.auroraPerMillionIo * factor });
  } else if (plan.offering === 'elasticache') {
    const hourly = lookup(SERVICE_PRICING.cacheHourly, plan.instanceClass, SERVICE_ASSUMPTIONS.defaults.cache, warnings);
    const nodes = plan.nodes ?? 1;
    items.push({ item: `${plan.kind} elasticache: ${nodes} x ${plan.instanceClass ?? SERVICE_ASSUMPTIONS.defaults.cache}`, monthly: nodes * hourly * hours * factor });
  }
  const rounded = items.map((i) => ({ item: i.item, monthly: cents(i.monthly) }));
  return { total: cents(rounded.reduce((s, i) => s + i.monthly, 0)), items: rounded, warnings };
}

function lookup(table: Record<string, number>, name: string | undefined, fallback: string, warnings: string[]): number {
  const own = name === undefined ? undefined : table[name];
  if (own !== undefined) return own;
  if (name !== undefined) warnings.push(`no price data for class ${name}: priced as ${fallback}`);
  return table[fallback] ?? 0;
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
