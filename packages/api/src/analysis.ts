import { z } from 'zod';

/** Evidence points at where a finding was read: a file and, where known, a line. */
export const Evidence = z.object({
  file: z.string(),
  line: z.number().int().positive().optional(),
  note: z.string().max(200).optional(),
});
export type Evidence = z.infer<typeof Evidence>;

/** ANALYSIS_LIMITS caps every list in an Analysis so that it fits in an XR's status. */
export const ANALYSIS_LIMITS = {
  evidence: 3,
  languages: 8,
  frameworks: 8,
  dependencies: 60,
  ports: 8,
  compose: 16,
  procfile: 16,
  services: 16,
  apps: 32,
  hints: 16,
  warnings: 24,
} as const;
const L = ANALYSIS_LIMITS;

export const Language = z.object({
  name: z.string(),
  version: z.string().optional(),
  evidence: z.array(Evidence).max(L.evidence).default([]),
});
export type Language = z.infer<typeof Language>;

export const Framework = z.object({
  name: z.string(),
  language: z.string(),
  version: z.string().optional(),
  evidence: z.array(Evidence).max(L.evidence).default([]),
});
export type Framework = z.infer<typeof Framework>;

export const Dependency = z.object({
  name: z.string(),
  version: z.string().optional(),
  ecosystem: z.string(),
  manifest: z.string(),
  dev: z.boolean().default(false),
});
export type Dependency = z.infer<typeof Dependency>;

export const Port = z.object({
  port: z.number().int().min(1).max(65535),
  evidence: Evidence,
});
export type Port = z.infer<typeof Port>;

/** ServiceKind names a backing service an app needs (inferred from dependencies and env examples). */
export const ServiceKind = z.enum([
  'postgresql', 'mysql', 'redis', 'mongodb', 'rabbitmq', 'kafka', 's3',
  'elasticsearch', 'memcached', 'sqlite', 'dynamodb', 'sqs', 'sns',
]);
export type ServiceKind = z.infer<typeof ServiceKind>;

export const NeededService = z.object({
  kind: ServiceKind,
  evidence: z.array(Evidence).max(L.evidence).default([]),
});
export type NeededService = z.infer<typeof NeededService>;

export const DockerfileFacts = z.object({
  path: z.string(),
  baseImage: z.string().optional(),
  expose: z.array(z.number().int()).max(8).default([]),
  cmd: z.string().optional(),
  entrypoint: z.string().optional(),
  multiStage: z.boolean().default(false),
  stages: z.number().int().nonnegative().default(1),
});
export type DockerfileFacts = z.infer<typeof DockerfileFacts>;

export const ComposeService = z.object({
  name: z.string(),
  image: z.string().optional(),
  build: z.boolean().default(false),
  ports: z.array(z.number().int()).max(8).default([]),
});
export type ComposeService = z.infer<typeof ComposeService>;

export const AppKind = z.enum(['server', 'static', 'worker', 'cli', 'unknown']);
export type AppKind = z.infer<typeof AppKind>;

/**
 * Analysis is what the analyze step learned of a repository at one commit. It is
 * written to context `scia.io/analysis` and pinned in the XR's `status.analysis`.
 */
export const Analysis = z.object({
  url: z.string(),
  ref: z.string().optional(),
  commit: z.string(),
  /** path is the app directory `spec.repository.path` asked for, if any. */
  path: z.string().optional(),
  language: z.string(),
  languages: z.array(Language).max(L.languages).default([]),
  framework: z.string(),
  frameworks: z.array(Framework).max(L.frameworks).default([]),
  packageManager: z.string().optional(),
  dependencies: z.array(Dependency).max(L.dependencies).default([]),
  dependencyCount: z.number().int().nonnegative().default(0),
  buildCommand: z.string().optional(),
  startCommand: z.string().optional(),
  /** commandEvidence says where the build and start commands were read or why they were inferred. */
  commandEvidence: z.object({ build: Evidence.optional(), start: Evidence.optional() }).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  ports: z.array(Port).max(L.ports).default([]),
  dockerfile: DockerfileFacts.optional(),
  compose: z.array(ComposeService).max(L.compose).default([]),
  procfile: z.record(z.string(), z.string()).default({}),
  services: z.array(NeededService).max(L.services).default([]),
  /** monorepo is the workspace layout; `analyzed` names the app analysed when no `path` was asked for. */
  monorepo: z.object({ tool: z.string(), apps: z.array(z.string()).max(L.apps), analyzed: z.string().optional() }).optional(),
  kind: AppKind.default('unknown'),
  stateless: z.boolean().optional(),
  hints: z.array(z.string()).max(L.hints).default([]),
  size: z.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  confidence: z.number().min(0).max(1),
  warnings: z.array(z.string()).max(L.warnings).default([]),
  /** resolvedAt is when the ref was last resolved to `commit` (RFC 3339); the pin is re-checked after a TTL. */
  resolvedAt: z.string().optional(),
});
export type Analysis = z.infer<typeof Analysis>;
