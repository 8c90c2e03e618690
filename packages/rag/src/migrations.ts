import type pg from 'pg';
import { withTransaction, type Database } from './db.js';
import { DIMENSIONS } from './vector.js';
import { IVF_MIGRATION, VECTORS_MIGRATION } from './vectors-schema.js';

/** Migration is one versioned, forward-only schema change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * MIGRATIONS are applied in order at start, each once, recorded in
 * `scia_migrations`. Never edit a released one: add the next version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deployments',
    sql: `
CREATE TABLE deployments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xr_uid text NOT NULL,
  decision_hash text NOT NULL,
  name text NOT NULL,
  namespace text NOT NULL DEFAULT '',
  shared boolean NOT NULL DEFAULT false,
  framework text NOT NULL,
  language text NOT NULL,
  strategy text NOT NULL CHECK (strategy IN ('vm', 'kubernetes', 'serverless')),
  config jsonb NOT NULL DEFAULT '{}',
  summary text NOT NULL,
  embedding vector(${DIMENSIONS}) NOT NULL,
  embedder text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  outcome text NOT NULL CHECK (outcome IN ('success', 'failed', 'degraded')),
  failure_reason text,
  cost_monthly double precision CHECK (cost_monthly >= 0),
  performance_metrics jsonb NOT NULL DEFAULT '{}',
  user_feedback smallint NOT NULL DEFAULT 0 CHECK (user_feedback BETWEEN -1 AND 1),
  feedback_comment text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT deployments_decision UNIQUE (xr_uid, decision_hash)
);
CREATE INDEX deployments_embedding ON deployments USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX deployments_scope ON deployments (embedder, framework, namespace);
CREATE INDEX deployments_shared ON deployments (embedder, framework) WHERE shared;
`,
  },
  {
    version: 2,
    name: 'evidence and intent',
    sql: `
ALTER TABLE deployments ADD COLUMN causes text[] NOT NULL DEFAULT '{}';
ALTER TABLE deployments ADD COLUMN intent text[] NOT NULL DEFAULT '{}';
ALTER TABLE deployments ADD COLUMN evidence jsonb NOT NULL DEFAULT '{}';
`,
  },
  { version: 3, name: 'narrow vectors table', sql: VECTORS_MIGRATION },
  { version: 4, name: 'ivf bucket indexes', sql: IVF_MIGRATION },
];

/** SCHEMA_VERSION is the newest migration's version. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

// Any constant works: it serializes concurrent starts against one database.
const MIGRATION_LOCK = 72_617_001;

/**
 * migrate applies the migrations a database lacks, in one transaction under an
 * advisory lock, and returns the versions it applied (empty when up to date).
 * It refuses a database whose schema is newer than this code.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await ensureVectorExtension(client);
    await client.query(
      'CREATE TABLE IF NOT EXISTS scia_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM scia_migrations ORDER BY version');
    const have = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...have);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) throw new Error(`the database's schema is version ${newest}, newer than this SCIA (${known})`);
    const applied: number[] = [];
    for (const m of migrations) {
      if (have.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO scia_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

async function ensureVectorExtension(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
  // Creating an extension needs more rights than using it: skip when it is there.
  if (rows.length === 0) await client.query('CREATE EXTENSION IF NOT EXISTS vector');
}
