import { openDatabase, withClient, withTransaction, type Database, type DatabaseConfig } from './db.js';
import { migrate } from './migrations.js';
import type { DeploymentRecord } from './records.js';
import { applySettings, searchQuery, searchRows, type SearchOptions } from './search.js';
import { DIMENSIONS, normalize } from './vector.js';
import { writeRows, type PreparedRow } from './write.js';

export interface BenchOptions {
  rows: number;
  queries?: number;
  k?: number;
  /** frameworks and tenants spread the rows (default 20 and 10): fewer of each makes the filter less selective. */
  frameworks?: number;
  tenants?: number;
  /** efSearch lists the hnsw.ef_search values measured (default 40, 100, 200). */
  efSearch?: number[];
  /** progress receives one line per phase (to stderr in the CLI). */
  progress?: (line: string) => void;
}

/** BenchSetting is one search setting's latency and recall against the exact scan of the same run. */
export interface BenchSetting {
  setting: string;
  p50Ms: number;
  p95Ms: number;
  recallAt5: number;
  /** meanRows is how many of the k rows asked for came back, on average. */
  meanRows: number;
  /** plan names the scans PostgreSQL's planner chose for the first query. */
  plan: string;
}

export interface BenchReport {
  backend: 'postgres' | 'pglite';
  rows: number;
  queries: number;
  k: number;
  dimensions: number;
  filter: string;
  insertMs: number;
  insertRowsPerSec: number;
  indexBuildMs: number;
  analyzeMs: number;
  results: BenchSetting[];
}

const CLUSTERS = 64;
const SHARED = 0.1;
const NEGATIVE = 0.05;

/** Spread is how synthetic rows are spread over frameworks and tenants. */
interface Spread {
  frameworks: number;
  tenants: number;
}

function describeFilter(s: Spread): string {
  const kept = (1 / s.frameworks) * (1 / s.tenants + SHARED * (1 - 1 / s.tenants)) * (1 - NEGATIVE);
  return `framework = F AND (namespace = T OR shared) AND user_feedback >= 0 (${(kept * 100).toFixed(1)}% of rows)`;
}

/**
 * runBench loads `rows` synthetic deployments (clustered unit vectors, 20
 * frameworks, 10 tenants, 10% shared) into a scratch schema (PostgreSQL) or a
 * scratch in-memory PGlite, builds the HNSW index after the load, and times
 * filtered top-k searches: the exact scan (the baseline for recall), the
 * planner's own choice, and the HNSW index forced, without iterative scan and
 * with it at each ef_search.
 * The configured store is never touched; the scratch schema is dropped.
 */
export async function runBench(target: DatabaseConfig, opts: BenchOptions): Promise<BenchReport> {
  const schema = `scia_bench_${process.pid}_${Date.now().toString(36)}`;
  const config: DatabaseConfig = target.kind === 'postgres'
    ? { ...target, url: withSearchPath(target.url, schema), statementTimeoutMs: 600_000, maxConnections: 1 }
    : { kind: 'pglite', dataDir: 'memory://' };
  const say = opts.progress ?? (() => undefined);
  const spread: Spread = { frameworks: opts.frameworks ?? 20, tenants: opts.tenants ?? 10 };
  const db = await openDatabase(config);
  try {
    if (db.kind === 'postgres') await db.pool.query(`CREATE SCHEMA ${schema}`);
    await migrate(db);
    await db.pool.query('DROP INDEX deployments_embedding');
    const random = prng(42);
    const centers = Array.from({ length: CLUSTERS }, () => gaussianUnit(random, []));
    say(`inserting ${opts.rows} rows`);
    const insertMs = await timed(() => load(db, opts.rows, centers, random, spread));
    say(`building the HNSW index`);
    const indexBuildMs = await timed(() => withClient(db, async (c) => {
      if (db.kind === 'postgres') await c.query("SET maintenance_work_mem = '1GB'");
      await c.query('CREATE INDEX deployments_embedding ON deployments USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)');
    }));
    const analyzeMs = await timed(() => db.pool.query('ANALYZE deployments'));
    say(`running ${opts.queries ?? 200} queries per setting`);
    const results = await measure(db, centers, random, opts, spread);
    return {
      backend: db.kind, rows: opts.rows, queries: opts.queries ?? 200, k: opts.k ?? 5, dimensions: DIMENSIONS, filter: describeFilter(spread),
      insertMs: round(insertMs), insertRowsPerSec: Math.round(opts.rows / (insertMs / 1000)), indexBuildMs: round(indexBuildMs), analyzeMs: round(analyzeMs), results,
    };
  } finally {
    if (db.kind === 'postgres') await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

async function load(db: Database, rows: number, centers: number[][], random: () => number, spread: Spread): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z');
  const chunk = 5000;
  for (let start = 0; start < rows; start += chunk) {
    const batch: PreparedRow[] = [];
    for (let i = start; i < Math.min(rows, start + chunk); i++) batch.push(syntheticRow(i, centers, random, at, spread));
    await withTransaction(db, (c) => writeRows(c, batch, { upsert: false }));
  }
}

function syntheticRow(i: number, centers: number[][], random: () => number, at: Date, spread: Spread): PreparedRow {
  const record: DeploymentRecord = {
    xrUid: `bench-${i}`, decisionHash: 'bench', name: `app-${i}`, namespace: `tenant-${i % spread.tenants}`, shared: random() < SHARED,
    app: { language: 'python', framework: `fw-${Math.floor(random() * spread.frameworks)}`, services: [], dependencies: [], prompt: '' },
    strategy: 'vm', config: {}, outcome: 'success', costMonthly: Math.round(random() * 300), performanceMetrics: {},
    feedback: random() < NEGATIVE ? -1 : 0, causes: [], metadata: {},
  };
  return { record, summary: '', embedding: near(centers, random), embedder: 'bench', at };
}

async function measure(db: Database, centers: number[][], random: () => number, opts: BenchOptions, spread: Spread): Promise<BenchSetting[]> {
  const k = opts.k ?? 5;
  // As the store searches: a few more candidates than k, re-sorted by distance, the first k kept.
  const limit = Math.max(4 * k, 20);
  const queries = Array.from({ length: opts.queries ?? 200 }, () => ({
    vector: near(centers, random),
    scope: { embedder: 'bench', tenant: `tenant-${Math.floor(random() * spread.tenants)}`, filters: { framework: `fw-${Math.floor(random() * spread.frameworks)}`, nonNegativeFeedback: true } },
  }));
  const settings: { setting: string; search: SearchOptions }[] = [
    { setting: 'exact', search: { mode: 'exact', limit } },
    { setting: 'planner (hnsw allowed, ef_search=200)', search: { mode: 'hnsw', efSearch: 200, limit } },
    { setting: 'hnsw ef_search=40 iterative_scan=off', search: { mode: 'hnsw', efSearch: 40, iterativeScan: false, forceHnsw: true, limit } },
    ...(opts.efSearch ?? [40, 100, 200]).map((ef) => ({
      setting: `hnsw ef_search=${ef} iterative_scan=relaxed_order`,
      search: { mode: 'hnsw' as const, efSearch: ef, forceHnsw: true, limit },
    })),
  ];
  const truth: string[][] = [];
  const out: BenchSetting[] = [];
  for (const { setting, search } of settings) {
    for (const q of queries.slice(0, 10)) await searchRows(db, q.vector, q.scope, search); // warm up
    const times: number[] = [];
    let hits = 0;
    let wanted = 0;
    let returned = 0;
    for (const [i, q] of queries.entries()) {
      const started = process.hrtime.bigint();
      const found = await searchRows(db, q.vector, q.scope, search);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      const ids = found.rows.slice(0, k).map((r) => r.id);
      if (setting === 'exact') truth.push(ids);
      const exact = truth[i] ?? [];
      hits += ids.filter((id) => exact.includes(id)).length;
      wanted += exact.length;
      returned += ids.length;
    }
    times.sort((a, b) => a - b);
    const plan = queries[0] === undefined ? '' : await explain(db, queries[0].vector, queries[0].scope, search);
    out.push({ setting, p50Ms: round(quantile(times, 0.5)), p95Ms: round(quantile(times, 0.95)), recallAt5: round(wanted === 0 ? 1 : hits / wanted), meanRows: round(returned / queries.length), plan });
  }
  return out;
}

async function explain(db: Database, vector: number[], scope: Parameters<typeof searchQuery>[1], search: SearchOptions): Promise<string> {
  const { sql, params } = searchQuery(vector, scope, search.limit);
  const rows = await withTransaction(db, async (c) => {
    await applySettings(c, search);
    return (await c.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows;
  });
  const scans: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    const type = n['Node Type'];
    if (typeof type === 'string' && type.includes('Scan')) scans.push(typeof n['Index Name'] === 'string' ? `${type} on ${n['Index Name']}` : type);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(rows);
  return scans.join(', ');
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** prng is mulberry32: a seeded generator, so every run loads the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianUnit(random: () => number, around: number[], spread = 1): number[] {
  const v = new Array<number>(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    v[i] = (around[i] ?? 0) + spread * g;
  }
  return normalize(v);
}

function near(centers: number[][], random: () => number): number[] {
  const c = centers[Math.floor(random() * centers.length)] ?? [];
  return gaussianUnit(random, c.map((x) => x * 20), 1);
}
