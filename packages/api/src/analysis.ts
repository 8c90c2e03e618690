import { z } from 'zod';

/** Evidence points at where a finding was read: a file and, where known, a line. */
export const Evidence = z.object({
  file: z.string(),
  line: z.number().int().positive().optional(),
  note: z.string().max(200).optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Language = z.object({
  name: z.string(),
  version: z.string().optional(),
  evidence: z.array(Evidence).default([]),
});

export const Framework = z.object({
  name: z.string(),
  language: z.string(),
  version: z.string().optional(),
  evidence: z.array(Evidence).default([]),
});

export const Dependency = z.object({
  name: z.string(),
  version: z.string().optional(),
  ecosystem: z.string(),
  manifest: z.string(),
  dev: z.boolean().default(false),
});

export const Port = z.object({
  port: z.number().int().min(1).max(65535),
  evidence: Evidence,
});

/** ServiceKind names a backing service an app needs (inferred from dependencies and env examples). */
export const ServiceKind = z.enum([
  'postgresql', 'mysql', 'redis', 'mongodb', 'rabbitmq', 'kafka', 's3',
  'elasticsearch', 'memcached', 'sqlite', 'dynamodb', 'sqs', 'sns',
]);
export type ServiceKind = z.infer<typeof ServiceKind>;

export const NeededService = z.object({
  kind: ServiceKind,
  evidence: z.array(Evidence).default([]),
});

export const DockerfileFacts = z.object({
  path: z.string(),
  baseImage: z.string().optional(),
  expose: z.array(z.number().int()).default([]),
  cmd: z.string().optional(),
  entrypoint: z.string().optional(),
  multiStage: z.boolean().default(false),
  stages: z.number().int().nonnegative().default(1),
});

export const ComposeService = z.object({
  name: z.string(),
  image: z.string().optional(),
  build: z.boolean().default(false),
  ports: z.array(z.number().int()).default([]),
});

export const AppKind = z.enum(['server', 'static', 'worker', 'cli', 'unknown']);

/**
 * Analysis is what the analyze step learned of a repository at one commit. It is
 * written to context `scia.io/analysis` and pinned in the XR's `status.analysis`.
 */
export const Analysis = z.object({
  url: z.string(),
  ref: z.string().optional(),
  commit: z.string(),
  path: z.string().optional(),
  language: z.string(),
  languages: z.array(Language).default([]),
  framework: z.string(),
  frameworks: z.array(Framework).default([]),
  packageManager: z.string().optional(),
  dependencies: z.array(Dependency).default([]),
  dependencyCount: z.number().int().nonnegative().default(0),
  buildCommand: z.string().optional(),
  startCommand: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  ports: z.array(Port).default([]),
  dockerfile: DockerfileFacts.optional(),
  compose: z.array(ComposeService).default([]),
  procfile: z.record(z.string(), z.string()).default({}),
  services: z.array(NeededService).default([]),
  monorepo: z.object({ tool: z.string(), apps: z.array(z.string()) }).optional(),
  kind: AppKind.default('unknown'),
  stateless: z.boolean().optional(),
  hints: z.array(z.string()).default([]),
  size: z.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  confidence: z.number().min(0).max(1),
  warnings: z.array(z.string()).default([]),
});
export type Analysis = z.infer<typeof Analysis>;
