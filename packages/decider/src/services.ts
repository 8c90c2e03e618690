import {
  DataServiceKind,
  ServicePlan,
  keywordsOf,
  type Analysis,
  type DeploymentSpec,
  type Evidence,
  type ServiceOverride,
  type Strategy,
} from '@scia/api';
import { priceService } from './services-pricing.js';

/** ServiceNeed is a backing service the app needs: its kind, the engine version the repository names, and where it was read. */
export interface ServiceNeed {
  kind: DataServiceKind;
  /** version is the major (or major.minor) version the repository pins, e.g. in a compose image `postgres:16`. */
  version?: string | undefined;
  evidence: readonly Evidence[];
}

/** Tier is how much care a prompt asks for: dev gets the smallest class, production deletion protection and a final snapshot. */
export type Tier = 'dev' | 'standard' | 'production';

const PRODUCTION = [/\bproduction\b/, /\bprod\b/, /\bmission[- ]critical\b/, /\bbusiness[- ]critical\b/];
const DEV = [/\bdev\b/, /\bdevelopment\b/, /\bstaging\b/, /\btesting\b/, /\bprototype\b/, /\bdemo\b/, /\bsandbox\b/, /\bpoc\b/, /\bhobby\b/];

/** tierOf reads a prompt's tier: production wins over dev; neither is standard. */
export function tierOf(prompt: string): Tier {
  const text = prompt.toLowerCase();
  if (PRODUCTION.some((p) => p.test(text))) return 'production';
  if (DEV.some((p) => p.test(text))) return 'dev';
  return 'standard';
}

/** COMPOSE_IMAGES map a compose image's name to the service it runs (the version is its tag's leading number). */
const COMPOSE_IMAGES: Readonly<Record<string, DataServiceKind>> = {
  postgres: 'postgresql', postgresql: 'postgresql', 'bitnami/postgresql': 'postgresql', 'postgis/postgis': 'postgresql',
  mysql: 'mysql', 'bitnami/mysql': 'mysql', redis: 'redis', 'bitnami/redis': 'redis', 'redis/redis-stack-server': 'redis',
};

/**
 * needsOf reads the services an analysis found that SCIA provisions
 * (postgresql, mysql, redis), with the version a compose image pins.
 */
export function needsOf(analysis: Analysis | undefined): ServiceNeed[] {
  if (analysis === undefined) return [];
  const versions = new Map<DataServiceKind, string>();
  for (const c of analysis.compose) {
    const [name = '', tag = ''] = (c.image ?? '').replace(/^docker\.io\/(library\/)?/, '').split(':');
    const kind = COMPOSE_IMAGES[name];
    const version = /^(\d+(?:\.\d+)?)/.exec(tag)?.[1];
    if (kind !== undefined && version !== undefined && !versions.has(kind)) versions.set(kind, version);
  }
  return analysis.services.flatMap((s) => {
    const kind = DataServiceKind.safeParse(s.kind);
    if (!kind.success) return [];
    return [{ kind: kind.data, version: versions.get(kind.data), evidence: s.evidence }];
  });
}

/** needsOfPlan reads the needs back from a pinned plan, so a decision can be planned again without its analysis. */
export function needsOfPlan(plans: readonly ServicePlan[] | undefined): ServiceNeed[] {
  return (plans ?? []).map((p) => ({ kind: p.kind, version: p.engineVersion === undefined ? undefined : majorOf(p.kind, p.engineVersion), evidence: p.evidence }));
}

/** ServiceContext is what a plan depends on beyond the needs: the strategy and the claim. */
export interface ServiceContext {
  strategy: Strategy;
  spec: Pick<DeploymentSpec, 'prompt' | 'region' | 'services'>;
}

/**
 * planServices decides, for each need, how it is provided: the claim's
 * `spec.services` first (none, bring your own, a pinned class or storage),
 * else PostgreSQL and MySQL on an RDS instance (on Aurora Serverless v2 for
 * the serverless strategy when that is cheaper) and Redis on an ElastiCache
 * replication group, sized by the prompt's tier and high-availability
 * keyword. Each plan says why, and what it costs a month.
 */
export function planServices(needs: readonly ServiceNeed[], ctx: ServiceContext): ServicePlan[] {
  const tier = tierOf(ctx.spec.prompt);
  const ha = keywordsOf(ctx.spec.prompt).has('high-availability');
  const seen = new Set<DataServiceKind>();
  const out: ServicePlan[] = [];
  for (const need of needs) {
    if (seen.has(need.kind)) continue;
    seen.add(need.kind);
    const plan = planOne(need, ctx.spec.services?.[need.kind], tier, ha, ctx);
    out.push(canonicalPlan({ ...plan, estimatedMonthlyCost: priceService(plan, ctx.spec.region).total }));
  }
  return out;
}

function planOne(need: ServiceNeed, override: ServiceOverride | undefined, tier: Tier, ha: boolean, ctx: ServiceContext): ServicePlan {
  const evidence = need.evidence.slice(0, 3);
  const base = { kind: need.kind, multiAz: false, production: false, evidence };
  const found = evidence[0] === undefined ? 'the analysis' : `${evidence[0].file}${evidence[0].note === undefined ? '' : ` (${evidence[0].note})`}`;
  if (override?.none === true) return { ...base, offering: 'none', reason: `spec.services.${need.kind}.none: provisioning nothing, though ${found} needs it` };
  if (override?.managed === false) {
    const external = {
      ...(override.secretRef === undefined ? {} : { secretRef: override.secretRef }),
      ...(override.awsSecretArn === undefined ? {} : { awsSecretArn: override.awsSecretArn }),
    };
    return { ...base, offering: 'external', external, reason: `spec.services.${need.kind}.managed is false: the app uses the team's own endpoint` };
  }
  const sized = sizeFor(need.kind, tier, ha);
  const why = `${found} needs ${need.kind}; ${sized.why}`;
  const pinned = [override?.instanceClass === undefined ? '' : 'class', override?.storageGb === undefined ? '' : 'storage'].filter((s) => s !== '');
  const pins = pinned.length === 0 ? '' : `; spec.services.${need.kind} pins the ${pinned.join(' and ')}`;
  if (need.kind === 'redis') {
    return {
      ...base,
      offering: 'elasticache',
      engine: 'redis',
      engineVersion: redisVersion(need.version),
      instanceClass: override?.instanceClass ?? sized.cacheClass,
      nodes: sized.multiAz ? 2 : 1,
      multiAz: sized.multiAz,
      backupRetentionDays: sized.multiAz ? 7 : 0,
      production: tier === 'production',
      reason: `${why}${pins}`,
    };
  }
  const rds: ServicePlan = {
    ...base,
    offering: 'rds-instance',
    engine: need.kind === 'postgresql' ? 'postgres' : 'mysql',
    engineVersion: dbVersion(need.kind, need.version),
    instanceClass: override?.instanceClass ?? sized.dbClass,
    storageGb: override?.storageGb ?? sized.storageGb,
    multiAz: sized.multiAz,
    backupRetentionDays: sized.backupDays,
    production: tier === 'production',
    reason: `${why}${pins}`,
  };
  if (ctx.strategy !== 'serverless' || override?.instanceClass !== undefined || override?.storageGb !== undefined) return rds;
  const aurora = auroraFor(rds, need, tier);
  const [rdsCost, auroraCost] = [priceService(rds, ctx.spec.region).total, priceService(aurora, ctx.spec.region).total];
  if (auroraCost >= rdsCost) return { ...rds, reason: `${rds.reason}; an RDS instance ($${rdsCost.toFixed(2)}/month) is cheaper than Aurora Serverless v2 ($${auroraCost.toFixed(2)})` };
  return { ...aurora, reason: `${why}; Aurora Serverless v2 ($${auroraCost.toFixed(2)}/month) is cheaper than an RDS instance ($${rdsCost.toFixed(2)}) for a serverless app` };
}

interface Sized {
  dbClass: string;
  cacheClass: string;
  storageGb: number;
  multiAz: boolean;
  backupDays: number;
  why: string;
}

function sizeFor(kind: DataServiceKind, tier: Tier, ha: boolean): Sized {
  const multiAz = tier === 'production' || ha;
  const what = kind === 'redis' ? 'nodes' : 'instance';
  if (tier === 'production') return { dbClass: 'db.t4g.medium', cacheClass: 'cache.t4g.small', storageGb: 50, multiAz, backupDays: 14, why: `a production prompt: multi-az ${what}, 14 days of backups, deletion protection and a final snapshot` };
  if (ha) return { dbClass: 'db.t4g.small', cacheClass: 'cache.t4g.small', storageGb: 20, multiAz, backupDays: 7, why: `a high-availability prompt: multi-az ${what} and 7 days of backups` };
  if (tier === 'dev') return { dbClass: 'db.t4g.micro', cacheClass: 'cache.t4g.micro', storageGb: 20, multiAz, backupDays: 1, why: 'a dev prompt: the smallest class, one day of backups' };
  return { dbClass: 'db.t4g.small', cacheClass: 'cache.t4g.small', storageGb: 20, multiAz, backupDays: 7, why: 'a single-az instance with 7 days of backups' };
}

/** AURORA_POSTGRES_VERSIONS are Aurora PostgreSQL versions that may scale to zero ACU, by major version. */
const AURORA_POSTGRES_VERSIONS: Readonly<Record<string, string>> = { '13': '13.15', '14': '14.12', '15': '15.7', '16': '16.6', '17': '17.4' };
const AURORA_MYSQL_VERSION = '8.0.mysql_aurora.3.08.0';

function auroraFor(rds: ServicePlan, need: ServiceNeed, tier: Tier): ServicePlan {
  const postgres = need.kind === 'postgresql';
  const major = majorOf(need.kind, rds.engineVersion ?? '');
  return {
    ...rds,
    offering: 'aurora-serverless-v2',
    engine: postgres ? 'aurora-postgresql' : 'aurora-mysql',
    engineVersion: postgres ? (AURORA_POSTGRES_VERSIONS[major] ?? '16.6') : AURORA_MYSQL_VERSION,
    instanceClass: 'db.serverless',
    storageGb: undefined,
    nodes: rds.multiAz ? 2 : 1,
    // A cluster that must always answer keeps half an ACU; others pause when idle.
    capacity: { min: rds.multiAz || tier === 'production' ? 0.5 : 0, max: tier === 'production' ? 8 : 4 },
  };
}

function dbVersion(kind: DataServiceKind, version: string | undefined): string {
  if (kind === 'postgresql') {
    const major = version?.split('.')[0];
    return major !== undefined && Number(major) >= 13 && Number(major) <= 17 ? major : '16';
  }
  return version === '8.4' ? '8.4' : '8.0';
}

function redisVersion(version: string | undefined): string {
  const major = version?.split('.')[0];
  return major === '6' ? '6.2' : '7.1';
}

function majorOf(kind: DataServiceKind, engineVersion: string): string {
  if (kind === 'mysql') return engineVersion.startsWith('8.4') ? '8.4' : '8.0';
  return engineVersion.split('.')[0] ?? '';
}

/**
 * servicesOf plans the services of a decision input for each strategy, once
 * per strategy: the cost estimator prices them with the compute, so a budget
 * sees the app and what it cannot run without.
 */
export function servicesOf(needs: readonly ServiceNeed[], spec: ServiceContext['spec']): (strategy: Strategy) => readonly ServicePlan[] {
  const memo = new Map<Strategy, ServicePlan[]>();
  return (strategy) => {
    let plans = memo.get(strategy);
    if (plans === undefined) {
      plans = planServices(needs, { strategy, spec });
      memo.set(strategy, plans);
    }
    return plans;
  };
}

/** describeServices names the provisioned services and their monthly costs, for messages: `postgresql (rds-instance db.t4g.small, $25.17/month)`. */
export function describeServices(plans: readonly ServicePlan[]): string {
  return plans
    .filter((p) => p.offering !== 'external' && p.offering !== 'none')
    .map((p) => `${p.kind} (${p.offering} ${p.instanceClass ?? ''}${p.multiAz ? ' multi-az' : ''}, $${(p.estimatedMonthlyCost ?? 0).toFixed(2)}/month)`)
    .join(', ');
}

/** canonicalPlan orders a service plan's keys as the schema does and drops undefined ones, so a fresh plan and a pinned one serialize alike. */
export function canonicalPlan(p: ServicePlan): ServicePlan {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ServicePlan.shape) as (keyof ServicePlan)[]) if (p[key] !== undefined) out[key] = p[key];
  return out as ServicePlan;
}

/**
 * overridePlan applies the claim's override for one service to a pinned plan,
 * without sizing it again from the prompt: skip it, bring your own, or pin
 * its class and storage. A plan the claim no longer overrides stays as pinned
 * until the next decision (the overrides are part of its input hash).
 */
export function overridePlan(plan: ServicePlan, override: ServiceOverride | undefined, region: string): ServicePlan {
  if (override === undefined) return plan;
  const kept = { kind: plan.kind, multiAz: false, production: false, evidence: plan.evidence, ...(plan.engineVersion === undefined ? {} : { engineVersion: plan.engineVersion }) };
  let next: ServicePlan;
  if (override.none === true) next = { ...kept, offering: 'none', reason: `spec.services.${plan.kind}.none: provisioning nothing` };
  else if (override.managed === false) {
    const external = { ...(override.secretRef === undefined ? {} : { secretRef: override.secretRef }), ...(override.awsSecretArn === undefined ? {} : { awsSecretArn: override.awsSecretArn }) };
    next = { ...kept, offering: 'external', external, reason: `spec.services.${plan.kind}.managed is false: the app uses the team's own endpoint` };
  } else if (plan.offering === 'none' || plan.offering === 'external') return plan;
  else {
    next = {
      ...plan,
      ...(override.instanceClass === undefined ? {} : { instanceClass: override.instanceClass }),
      ...(override.storageGb === undefined || plan.kind === 'redis' ? {} : { storageGb: override.storageGb }),
    };
  }
  return canonicalPlan({ ...next, estimatedMonthlyCost: priceService(next, region).total });
}
