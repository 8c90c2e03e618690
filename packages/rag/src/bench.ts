import { openDatabase, withClient, type Database, type DatabaseConfig } from './db.js';
import { between, centers, keptShare, LANGUAGE, prng, syntheticRow, type Spread } from './bench-data.js';
import { createHash } from 'node:crypto';
import { openKept, openScratch, scratchUrl, type Kept, type Scratch } from './bench-scratch.js';
import { ensureBucketIndexes, listsFor, setBuildMemory, type IndexBuild } from './buckets.js';
import { copyRows } from './copy.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { BucketStats } from './plan.js';
import { measureFilter, type BenchSetting, type FilterKind } from './bench-measure.js';
import type { CaseFilters } from './records.js';
import { DIMENSIONS } from './vector.js';
import { NARROW_INDEXES } from './vectors-schema.js';
import { prewarmSearch, type Prewarmed } from './prewarm.js';
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
  /**
   * keep loads into a dataset kept after the bench (PostgreSQL), or reuses
   * the one a previous bench kept for the same rows, seed, spread and schema:
   * only the queries run again.
   */
  keep?: boolean;
  /** repeat runs the query measurement this many times (default 1). */
  repeat?: number;
  /** baselineQueries is how many of the queries the old plan (exact on the wide table) also runs (default 20): it takes seconds a query at 1M rows. */
  baselineQueries?: number;
}

/** BenchFilter is one filter's settings measured on the same queries, in one run of the measurement. */
export interface BenchFilter {
  filter: FilterKind;
  /** run counts the repetitions of the measurement, from 1. */
  run: number;
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
  /** reused says the dataset was a kept one: load and build figures are from when it was built. */
  reused: boolean;
  /** dataset is the kept dataset's schema (with keep). */
  dataset?: string;
  loadMs: number;
  loadRowsPerSec: number;
  /** indexBuildMs is the B-tree and IVF builds, per bucket, after the load; btreeBuildMs the B-trees' share. */
  indexBuildMs: number;
  btreeBuildMs: number;
  analyzeMs: number;
  /** prewarm is what the store's first search prewarms (see prewarmSearch), done before the queries, or why not. */
  prewarm: Prewarmed | string;
  filters: BenchFilter[];
}

/**
 * runBench loads `rows` synthetic deployments (clustered unit vectors, 20
 * frameworks, 10 tenants, 10% shared) into a scratch schema (PostgreSQL, by
 * binary COPY) or a scratch in-memory PGlite, builds the indexes after the
 * load (each bucket's IVF index included), and times top-k searches per
 * filter: selective (tenant + framework, ~1%) and broad (tenant + language,
 * ~18%), with query vectors from none of the data's clusters, warm-up
 * excluded, recall@k against the exact answer under the same filter.
 * The configured store is never touched; the scratch schema is dropped, also
 * on SIGINT/SIGTERM, and one abandoned by a killed bench is dropped by the next.
 */
export async function runBench(target: DatabaseConfig, opts: BenchOptions): Promise<BenchReport> {
  const say = opts.progress ?? (() => undefined);
  const spread: Spread = { frameworks: opts.frameworks ?? 20, tenants: opts.tenants ?? 10 };
  let scratch: Scratch | undefined;
  let kept: Kept | undefined;
  let config: DatabaseConfig = { kind: 'pglite', dataDir: 'memory://' };
  if (target.kind === 'postgres') {
    if (opts.keep === true) {
      const fp = datasetFingerprint(opts.rows, spread);
      kept = await openKept(target.url, `${opts.rows}_${fp}`, fp, say);
      say(kept.ready === undefined ? `building the kept dataset ${kept.schema}` : `reusing the kept dataset ${kept.schema}`);
    } else {
      scratch = await openScratch(target.url, say);
    }
    const schema = kept?.schema ?? scratch?.schema ?? '';
    config = { ...target, url: scratchUrl(target.url, schema), statementTimeoutMs: 3_600_000, maxConnections: 3 };
  }
  const db = await openDatabase(config);
  try {
    const random = prng(SEED);
    const cs = centers(random);
    let figures = kept?.ready;
    if (figures === undefined) {
      await migrate(db);
      say(`loading ${opts.rows} rows`);
      const loadMs = await timed(() => load(db, opts.rows, cs, random, spread));
      say('building the indexes');
      const build = opts.build ?? {};
      const btreeBuildMs = await timed(() => buildBtrees(db, build));
      const indexBuildMs = btreeBuildMs + await timed(() => ensureBucketIndexes(db, build));
      const analyzeMs = await timed(() => db.pool.query(db.kind === 'postgres' ? 'VACUUM ANALYZE deployments, deployment_vectors' : 'ANALYZE deployments, deployment_vectors'));
      figures = { loadMs: round(loadMs), btreeBuildMs: round(btreeBuildMs), indexBuildMs: round(indexBuildMs), analyzeMs: round(analyzeMs) };
      await kept?.markReady(figures);
    }
    const stats = new BucketStats(db);
    await stats.refresh();
    // As a store does at its first search: the queries then measure the steady state, not a cold page cache.
    const prewarm = await prewarmSearch(db);
    say(typeof prewarm === 'string' ? `no prewarm: ${prewarm}` : `prewarmed ${prewarm.blocks} blocks (${prewarm.mode}) in ${prewarm.ms} ms`);
    const queries = opts.queries ?? 200;
    const k = opts.k ?? 5;
    const filters: BenchFilter[] = [];
    for (let run = 1; run <= (opts.repeat ?? 1); run++) {
      for (const filter of opts.filters ?? ['selective', 'broad']) {
        say(`run ${run}: ${queries} ${filter} queries per setting`);
        const asked = askedQueries(cs, filter, queries + WARMUP, spread);
        filters.push({
          filter, run, describe: filter === 'selective' ? 'tenant scope + framework, not thumbed down' : 'tenant scope + language, not thumbed down',
          keptShare: round(keptShare(spread, filter === 'selective')),
          results: await measureFilter(db, stats, asked.slice(WARMUP), asked.slice(0, WARMUP), k, opts.baselineQueries ?? 20),
        });
      }
    }
    const loadMs = figures['loadMs'] ?? 0;
    return {
      backend: db.kind, rows: opts.rows, queries, k, dimensions: DIMENSIONS, reused: kept?.ready !== undefined, ...(kept === undefined ? {} : { dataset: kept.schema }),
      loadMs, loadRowsPerSec: Math.round(opts.rows / (loadMs / 1000)), indexBuildMs: figures['indexBuildMs'] ?? 0, btreeBuildMs: figures['btreeBuildMs'] ?? 0,
      analyzeMs: figures['analyzeMs'] ?? 0, prewarm, filters,
    };
  } finally {
    await db.close().catch(() => undefined);
    await scratch?.drop();
    await kept?.release();
  }
}

const SEED = 42;
const WARMUP = 10;

/**
 * DATASET_LAYOUT names what a kept dataset was built with beyond the schema
 * version: the B-trees and the bucket index rule. Changing either makes kept
 * datasets stale (rebuilt on the next --keep).
 */
const DATASET_LAYOUT = JSON.stringify({ btrees: NARROW_INDEXES, lists: [3000, 100_000].map(listsFor), buckets: 'tenant, shared, and each by framework', generator: 1 });

/** datasetFingerprint names a dataset's content: rows, seed, spread, schema version and layout. */
export function datasetFingerprint(rows: number, spread: Spread): string {
  return createHash('sha256').update(JSON.stringify({ rows, seed: SEED, spread, schema: SCHEMA_VERSION, layout: DATASET_LAYOUT })).digest('hex').slice(0, 12);
}

/** askedQueries are a filter's queries, the same in every run: vectors between two clusters, a tenant and a framework by a seeded draw. */
function askedQueries(cs: number[][], filter: FilterKind, n: number, spread: Spread): { vector: number[]; scope: { embedder: string; tenant: string; filters: CaseFilters } }[] {
  const qrandom = prng(filter === 'selective' ? 7 : 11);
  return Array.from({ length: n }, () => ({
    vector: between(cs, qrandom),
    scope: {
      embedder: 'bench', tenant: `tenant-${Math.floor(qrandom() * spread.tenants)}`,
      filters: filter === 'selective'
        ? { framework: `fw-${Math.floor(qrandom() * spread.frameworks)}`, nonNegativeFeedback: true }
        : { language: LANGUAGE, nonNegativeFeedback: true },
    },
  }));
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
      embedding::halfvec(${DIMENSIONS}) FROM deployments`);
    await c.query('ALTER TABLE deployments ENABLE TRIGGER deployments_vectors');
  });
}

/** buildBtrees builds the narrow table's B-trees with the build's memory and workers (the bucket indexes follow). */
async function buildBtrees(db: Database, build: IndexBuild): Promise<void> {
  await withClient(db, async (c) => {
    if (db.kind === 'postgres') await setBuildMemory(c, build);
    for (const sql of Object.values(NARROW_INDEXES)) await c.query(sql);
    if (db.kind === 'postgres') await c.query('RESET maintenance_work_mem; RESET max_parallel_maintenance_workers; RESET statement_timeout');
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
