import { z } from 'zod';
import { Evidence } from './analysis.js';

/**
 * DataServiceKind names a backing service SCIA provisions itself: PostgreSQL
 * and MySQL on RDS (or Aurora Serverless v2), Redis on ElastiCache. Other
 * services the analysis finds are reported, not provisioned.
 */
export const DataServiceKind = z.enum(['postgresql', 'mysql', 'redis']);
export type DataServiceKind = z.infer<typeof DataServiceKind>;

/** DB_CLASS_PATTERN and CACHE_CLASS_PATTERN are the shapes of RDS and ElastiCache class names. */
export const DB_CLASS_PATTERN = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
export const CACHE_CLASS_PATTERN = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

/** SERVICE_LIMITS bound what a claim may pin for a service. */
export const SERVICE_LIMITS = { storageGb: { min: 20, max: 16384 } } as const;

const SecretRef = z.object({
  name: z.string().min(1).max(253).describe('The Secret, in the claim\'s namespace.'),
  key: z.string().min(1).max(253).default('url').describe('The key holding the connection URL.'),
});

/** SERVICE_MESSAGES are the service overrides' cross-field rules; zod and the XRD's CEL rules say the same words. */
export const SERVICE_MESSAGES = {
  external: 'managed: false needs secretRef or awsSecretArn',
  onlyExternal: 'secretRef and awsSecretArn need managed: false',
  noneAlone: 'none: true takes no other field',
  sizeManaged: 'instanceClass and storageGb need a managed service',
} as const;

/** serviceCelRules are SERVICE_MESSAGES as CEL rules for one service's override (`storage`: it has storageGb). */
export function serviceCelRules(storage: boolean): { rule: string; message: string; fieldPath: string }[] {
  const sized = storage ? ['instanceClass', 'storageGb'] : ['instanceClass'];
  const absent = (keys: string[]): string => keys.map((k) => `!has(self.${k})`).join(' && ');
  return [
    { rule: '!has(self.managed) || self.managed || has(self.secretRef) || has(self.awsSecretArn)', message: SERVICE_MESSAGES.external, fieldPath: '.managed' },
    { rule: '(!has(self.secretRef) && !has(self.awsSecretArn)) || (has(self.managed) && !self.managed)', message: SERVICE_MESSAGES.onlyExternal, fieldPath: '.secretRef' },
    { rule: `!has(self.none) || !self.none || (${absent(['managed', 'secretRef', 'awsSecretArn', ...sized])})`, message: SERVICE_MESSAGES.noneAlone, fieldPath: '.none' },
    { rule: `(${absent(sized)}) || !has(self.managed) || self.managed`, message: SERVICE_MESSAGES.sizeManaged, fieldPath: '.instanceClass' },
  ];
}

function overrideFields(classPattern: RegExp, classExample: string) {
  return z.object({
    managed: z.boolean().optional().describe('false: the app uses an existing endpoint (bring your own), given by secretRef or awsSecretArn.'),
    secretRef: SecretRef.optional().describe('A Kubernetes Secret holding the connection URL of an existing endpoint (kubernetes strategy).'),
    awsSecretArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN')
      .max(2048)
      .optional()
      .describe('A Secrets Manager secret holding the connection URL of an existing endpoint (vm and serverless strategies).'),
    instanceClass: z.string().regex(classPattern, `must be a class such as ${classExample}`).max(64).optional().describe(`The class to run, such as ${classExample}.`),
    storageGb: z.number().int().min(SERVICE_LIMITS.storageGb.min).max(SERVICE_LIMITS.storageGb.max).optional().describe('Allocated storage in GB.'),
    none: z.boolean().optional().describe('true: provision nothing for this service.'),
  });
}

/** checkOverride adds the SERVICE_MESSAGES issues of one service's override. */
function checkOverride(o: ServiceOverride, ctx: z.RefinementCtx): void {
  const has = (k: keyof ServiceOverride): boolean => o[k] !== undefined;
  if (o.managed === false && !has('secretRef') && !has('awsSecretArn')) ctx.addIssue({ code: 'custom', message: SERVICE_MESSAGES.external, path: ['managed'] });
  if ((has('secretRef') || has('awsSecretArn')) && o.managed !== false) ctx.addIssue({ code: 'custom', message: SERVICE_MESSAGES.onlyExternal, path: ['secretRef'] });
  if (o.none === true && (['managed', 'secretRef', 'awsSecretArn', 'instanceClass', 'storageGb'] as const).some(has)) ctx.addIssue({ code: 'custom', message: SERVICE_MESSAGES.noneAlone, path: ['none'] });
  if ((has('instanceClass') || has('storageGb')) && o.managed === false) ctx.addIssue({ code: 'custom', message: SERVICE_MESSAGES.sizeManaged, path: ['instanceClass'] });
}

const DbOverride = overrideFields(DB_CLASS_PATTERN, 'db.t4g.small').superRefine(checkOverride);
const CacheOverride = overrideFields(CACHE_CLASS_PATTERN, 'cache.t4g.small').omit({ storageGb: true }).superRefine(checkOverride);

/** ServiceOverride is what a claim pins for one service (see ServiceOverrides). */
export type ServiceOverride = {
  managed?: boolean | undefined;
  secretRef?: { name: string; key: string } | undefined;
  awsSecretArn?: string | undefined;
  instanceClass?: string | undefined;
  storageGb?: number | undefined;
  none?: boolean | undefined;
};

/**
 * ServiceOverrides are the claim's `spec.services`: per service kind, skip it
 * (`none: true`), bring your own (`managed: false` with a Secret), or pin its
 * class and storage. They win over the decision, as `spec.overrides` do.
 */
export const ServiceOverrides = z.object({
  postgresql: DbOverride.optional().describe('The app\'s PostgreSQL database.'),
  mysql: DbOverride.optional().describe('The app\'s MySQL database.'),
  redis: CacheOverride.optional().describe('The app\'s Redis cache.'),
});
export type ServiceOverrides = z.infer<typeof ServiceOverrides>;

/** Offering is how a service is provided: an RDS instance, an Aurora Serverless v2 cluster, an ElastiCache replication group, the team's own endpoint, or nothing. */
export const Offering = z.enum(['rds-instance', 'aurora-serverless-v2', 'elasticache', 'external', 'none']);
export type Offering = z.infer<typeof Offering>;

/**
 * ServicePlan is the decision for one backing service: how it is provided and
 * sized, and why. Part of the pinned decision (`status.deployment.services`);
 * it never holds a credential.
 */
export const ServicePlan = z.object({
  kind: DataServiceKind,
  offering: Offering,
  /** engine is the RDS or ElastiCache engine name (postgres, mysql, aurora-postgresql, aurora-mysql, redis). */
  engine: z.string().optional(),
  engineVersion: z.string().optional(),
  instanceClass: z.string().optional(),
  storageGb: z.number().int().optional(),
  multiAz: z.boolean().default(false),
  /** nodes is the number of cache nodes (a primary and its replicas), or Aurora instances. */
  nodes: z.number().int().min(1).max(6).optional(),
  /** capacity is Aurora Serverless v2's ACU range. */
  capacity: z.object({ min: z.number().min(0), max: z.number().min(0.5) }).optional(),
  backupRetentionDays: z.number().int().min(0).max(35).optional(),
  /** production turns on deletion protection and a final snapshot. */
  production: z.boolean().default(false),
  /** external names the team's own endpoint (bring your own). */
  external: z.object({ secretRef: SecretRef.optional(), awsSecretArn: z.string().optional() }).optional(),
  estimatedMonthlyCost: z.number().nonnegative().optional(),
  reason: z.string().max(500),
  evidence: z.array(Evidence).max(3).default([]),
});
export type ServicePlan = z.infer<typeof ServicePlan>;

/**
 * ServiceStatus is one backing service as the render step reports it in
 * `status.services`: its phase and, once observed, the endpoint's host name.
 * Credentials live only in connection Secrets, never here.
 */
export const ServiceStatus = z.object({
  kind: DataServiceKind,
  offering: Offering,
  phase: z.enum(['Provisioning', 'Ready', 'Failed', 'External', 'Skipped']),
  endpoint: z.string().optional(),
  /** connectionSecret names the Secret holding the credentials (never their values). */
  connectionSecret: z.string().optional(),
  message: z.string().max(500).optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;
