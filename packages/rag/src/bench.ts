import { openDatabase, withClient, type Database, type DatabaseConfig } from './db.js';
import { between, centers, keptShare, LANGUAGE, prng, syntheticRow, type Spread } from './bench-data.js';
import { openScratch, scratchUrl, type Scratch } from './bench-scratch.js';
import { DEFAULT_INDEX_BUILD, ensureBucketIndexes, type IndexBuild } from './buckets.js';
import { copyRows } from './copy.js';
import { migrate } from './migrations.js';
import { BucketStats } from './plan.js';
import { measureFilter, type BenchSetting, type FilterKind } from './bench-measure.js';
import { DIMENSIONS } from './vector.js';
import { NARROW_INDEXES } from './vectors-schema.js';
import { writeRows, type PreparedRow } from './write.js';

export type { BenchSetting, FilterKind } from './bench-measure.js';

export interface BenchOptions {
  rows: number;
  queries?: number;
  k?: number;
  /** frameworks and tenants spread the rows (default 20 and 10). */
  frameworks?: number;
  tenants?: number;
  /** filters lists the filters measured (default both). */
  filters?: FilterKind[];
  /** build sets the index builds' memory and parallel workers (PostgreSQL). */
  build?: IndexBuild;
  /** progress receives one line per phase (to stderr in the CLI). */
  progress?: (line: string) => void;
}

/** BenchFilter is one filter's settings measured on the same queries. */
export interface BenchFilter {
  filter: FilterKind;
  describe: string;
  /** keptShare is the share of rows the filter keeps. */
  keptShare: number;
  results: BenchSetting[];
}

export interface BenchReport {
  backend: 'postgres' | 'pglite';
  rows: number;
  queries: number;
  k: number;
  dimensions: number;
  loadMs: number;
  loadRowsPerSec: number;
  /** indexBuildMs is the B-tree and HNSW builds, per bucket, after the load. */
  indexBuildMs: number;
  analyzeMs: number;
  filters: BenchFilter[];
}

/**
 * runBench loads `rows` synthetic deployments (clustered unit vectors, 20
 * frameworks, 10 tenants, 10% shared) into a scratch schema (PostgreSQL, by
 * binary COPY) or a scratch in-memory PGlite, builds the indexes after the
 * load (per-tenant HNSW buckets included), and times top-k searches per
 * filter: selective (tenant + framework, ~1%) and broad (tenant + language,
 * ~18%), with query vectors from none of the data's clusters, warm-up
 * excluded, recall@k against the exact answer under the same filter.
 * The configured store is never touched; the scratch schema is dropped, also
 * on SIGINT/SIGTERM, and one abandoned by a killed bench is dropped by the next.
 */
export async function runBench(target: DatabaseConfig, opts: BenchOptions): Promise<BenchReport> {
  const say = opts.progress ?? (() => undefined);
  let scratch: Scratch | undefined;
  let config: DatabaseConfig = { kind: 'pglite', dataDir: 'memory://' };
  if (target.kind === 'postgres') {
    scratch = await openScratch(target.url, say);
    config = { ...target, url: scratchUrl(target.url, scratch.schema), statementTimeoutMs: 3_600_000, maxConnections: 1 };
  }
  const spread: Spread = { frameworks: opts.frameworks ?? 20, tenants: opts.tenants ?? 10 };
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const random = prng(42);
    const cs = centers(random);
    say(`loading ${opts.rows} rows`);
    const loadMs = await timed(() => load(db, opts.rows, cs, random, spread));
    say('building the indexes');
    const indexBuildMs = await timed(() => buildIndexes(db, opts.build ?? {}));
    const analyzeMs = await timed(() => db.pool.query(db.kind === 'postgres' ? 'VACUUM ANALYZE deployments, deployment_vectors' : 'ANALYZE deployments, deployment_vectors'));
    const stats = new BucketStats(db);
    await stats.refresh();
    const queries = opts.queries ?? 200;
    const k = opts.k ?? 5;
    const filters: BenchFilter[] = [];
    for (const filter of opts.filters ?? ['selective', 'broad']) {
      say(`running ${queries} ${filter} queries per setting`);
      const qrandom = prng(filter === 'selective' ? 7 : 11);
      const asked = Array.from({ length: queries + 10 }, () => ({
        vector: between(cs, qrandom),
        scope: {
          embedder: 'bench', tenant: `tenant-${Math.floor(qrandom() * spread.tenants)}`,
          filters: filter === 'selective'
            ? { framework: `fw-${Math.floor(qrandom() * spread.frameworks)}`, nonNegativeFeedback: true }
            : { language: LANGUAGE, nonNegativeFeedback: true },
        },
      }));
      filters.push({
        filter, describe: filter === 'selective' ? 'tenant scope + framework, not thumbed down' : 'tenant scope + language, not thumbed down',
        keptShare: round(keptShare(spread, filter === 'selective')),
        results: await measureFilter(db, stats, asked.slice(10), asked.slice(0, 10), k),
      });
    }
    return {
      backend: db.kind, rows: opts.rows, queries, k, dimensions: DIMENSIONS,
      loadMs: round(loadMs), loadRowsPerSec: Math.round(opts.rows / (loadMs / 1000)), indexBuildMs: round(indexBuildMs), analyzeMs: round(analyzeMs), filters,
    };
  } finally {
    await db.close().catch(() => undefined);
    await scratch?.drop();
  }
}

/**
 * load writes the rows with the narrow table's trigger and indexes off
 * (PostgreSQL: one binary COPY; PGlite: batched INSERTs), then fills the narrow
 * table in one statement: far cheaper than a row trigger and live indexes.
 */
async function load(db: Database, rows: number, cs: number[][], random: () => number, spread: Spread): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z');
  const chunk = 2000;
  function* batches(): Generator<PreparedRow[]> {
    for (let start = 0; start < rows; start += chunk) {
      const batch: PreparedRow[] = [];
      for (let i = start; i < Math.min(rows, start + chunk); i++) batch.push(syntheticRow(i, cs, random, at, spread));
      yield batch;
    }
  }
  await withClient(db, async (c) => {
    await c.query(`ALTER TABLE deployments DISABLE TRIGGER deployments_vectors; DROP INDEX ${Object.keys(NARROW_INDEXES).join(', ')}`);
    if (db.kind === 'postgres') await copyRows(c, batches());
    else for (const batch of batches()) await writeRows(c, batch, { upsert: false });
    await c.query(`INSERT INTO deployment_vectors SELECT id, embedder, namespace, shared, framework, language, outcome, user_feedback, cost_monthly,
      embedding::halfvec(${DIMENSIONS}) FROM deployments ORDER BY embedder, namespace, framework, language`);
    await c.query('ALTER TABLE deployments ENABLE TRIGGER deployments_vectors');
  });
}

/** buildIndexes builds the narrow table's B-trees and HNSW buckets with the build's memory and workers. */
async function buildIndexes(db: Database, build: IndexBuild): Promise<void> {
  await withClient(db, async (c) => {
    if (db.kind === 'postgres') {
      await c.query("SELECT set_config('maintenance_work_mem', $1, false), set_config('max_parallel_maintenance_workers', $2, false)", [
        build.maintenanceWorkMem ?? DEFAULT_INDEX_BUILD.maintenanceWorkMem, String(build.parallelWorkers ?? DEFAULT_INDEX_BUILD.parallelWorkers),
      ]);
    }
    for (const sql of Object.values(NARROW_INDEXES)) await c.query(sql);
  });
  await ensureBucketIndexes(db, build);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
