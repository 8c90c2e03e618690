import { withClient, withTransaction, type Database } from './db.js';
import { ROOT_PROBES, type BucketStats, type PartPlan, type PlanMode } from './plan.js';
import type { CaseFilters } from './records.js';
import { settingsSql } from './bucket-run.js';
import { bucketQueries, searchRows, searchWide, type SearchOptions } from './search.js';
import { vectorBinary } from './vector.js';

export type FilterKind = 'selective' | 'broad';

/** BenchSetting is one search setting's latency, throughput and recall against the exact answer under the same filter. */
export interface BenchSetting {
  setting: string;
  /** ops is queries per second: the timed queries over the time they took, one at a time. */
  ops: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** timed is how many queries this setting ran (the old plan runs only the first of them). */
  timed: number;
  recallAt5: number;
  /** meanRows is how many of the k rows asked for came back, on average. */
  meanRows: number;
  /** plan is what the first query ran: each bucket's plan and the scans PostgreSQL's EXPLAIN shows. */
  plan: string;
}

interface Asked {
  vector: number[];
  scope: { embedder: string; tenant: string; filters: CaseFilters };
}

/**
 * exactAnswer is the exact answer, untimed: of every row the filter keeps, the
 * nearest 50 by their halfvec distance (an exact scan of the narrow table),
 * then the nearest k of those by their full-precision vectors on the wide
 * table. halfvec moves a distance by about 1e-4: the true k are among the 50.
 */
async function exactAnswer(db: Database, stats: BucketStats, q: Asked, k: number): Promise<string[]> {
  const near = await searchRows(db, q.vector, q.scope, { mode: 'exact', limit: Math.max(50, k), stats });
  const { rows } = await withClient(db, (c) => c.query<{ id: string }>(
    'SELECT id FROM deployments WHERE id = ANY($2::bigint[]) ORDER BY embedding <=> $1::vector, id LIMIT $3', [vectorBinary(q.vector), near.rows.map((r) => r.id), k]));
  return rows.map((r) => String(r.id));
}

const SETTINGS: { setting: string; mode: PlanMode | 'wide'; options?: Pick<SearchOptions, 'probeRule' | 'replan' | 'transaction'> }[] = [
  { setting: 'exact on the wide table (the old plan)', mode: 'wide' },
  { setting: 'planned from statistics (auto)', mode: 'auto' },
  { setting: 'auto, √lists probes, planned per statement', mode: 'auto', options: { probeRule: ROOT_PROBES, replan: true } },
  { setting: 'auto, three round trips an IVF bucket', mode: 'auto', options: { transaction: true } },
  { setting: 'exact on the narrow table, every bucket', mode: 'exact' },
  { setting: 'ivf buckets, every bucket', mode: 'index' },
];

/**
 * measureFilter runs each setting over the same queries, one at a time: the
 * warm-up queries first, untimed, then the timed ones, interleaved; the old
 * plan only the first `baselineQueries`. Recall@k compares each setting's
 * first k ids with the exact answer's.
 */
export async function measureFilter(db: Database, stats: BucketStats, queries: readonly Asked[], warmup: readonly Asked[], k: number, baselineQueries: number): Promise<BenchSetting[]> {
  const limit = Math.max(4 * k, 20);
  const truth: string[][] = [];
  for (const q of queries) truth.push(await exactAnswer(db, stats, q, k));
  const run = async ({ mode, options }: (typeof SETTINGS)[number], q: Asked): Promise<{ ids: string[]; plans: PartPlan[] }> => {
    if (mode === 'wide') return { ids: (await searchWide(db, q.vector, q.scope, limit)).rows.slice(0, k).map((r) => r.id), plans: [] };
    const found = await searchRows(db, q.vector, q.scope, { mode, limit, stats, ...options });
    return { ids: found.rows.slice(0, k).map((r) => r.id), plans: found.plans };
  };
  for (const [i, q] of warmup.entries()) for (const setting of SETTINGS) if (setting.mode !== 'wide' || i < 2) await run(setting, q);
  // Interleaved: each query runs under every setting in turn, the order rotating, so a busy moment hits them alike.
  const tally = SETTINGS.map(() => ({ times: [] as number[], hits: 0, wanted: 0, returned: 0, totalMs: 0, plans: [] as PartPlan[] }));
  for (const [i, q] of queries.entries()) {
    for (let j = 0; j < SETTINGS.length; j++) {
      const at = (i + j) % SETTINGS.length;
      const t = tally[at];
      const setting = SETTINGS[at];
      if (t === undefined || setting === undefined || (setting.mode === 'wide' && i >= baselineQueries)) continue;
      const t0 = process.hrtime.bigint();
      const { ids, plans } = await run(setting, q);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      t.times.push(ms);
      t.totalMs += ms;
      if (i === 0) t.plans = plans;
      const exact = truth[i] ?? [];
      t.hits += ids.filter((id) => exact.includes(id)).length;
      t.wanted += exact.length;
      t.returned += ids.length;
    }
  }
  const out: BenchSetting[] = [];
  for (const [at, { setting, mode }] of SETTINGS.entries()) {
    const t = tally[at];
    const first = queries[0];
    if (t === undefined) continue;
    t.times.sort((a, b) => a - b);
    const plan = first === undefined || mode === 'wide' ? 'bitmap/seq scan of deployments + sort' : `${describePlans(t.plans)}; ${await explain(db, first, t.plans, limit)}`;
    out.push({
      setting, ops: Math.round((t.times.length * 1000) / t.totalMs), p50Ms: round(quantile(t.times, 0.5)), p95Ms: round(quantile(t.times, 0.95)),
      p99Ms: round(quantile(t.times, 0.99)), timed: t.times.length,
      recallAt5: round(t.wanted === 0 ? 1 : t.hits / t.wanted), meanRows: round(t.returned / Math.max(1, t.times.length)), plan,
    });
  }
  return out;
}

function describePlans(plans: readonly PartPlan[]): string {
  return plans.map((p) => `${p.part} ${p.plan}${p.plan === 'ivf' ? ` ${p.index} ${p.probes}/${p.lists} lists` : ''} (${p.scanned} read, ${p.matched} match)`).join(' + ');
}

/** explain names the scans PostgreSQL runs for a planned search, bucket by bucket. */
async function explain(db: Database, q: Asked, plans: readonly PartPlan[], limit: number): Promise<string> {
  const scans: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    const type = n['Node Type'];
    if (typeof type === 'string' && type.includes('Scan')) scans.push(typeof n['Index Name'] === 'string' ? `${type} on ${n['Index Name']}` : type);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  for (const b of bucketQueries(q.vector, q.scope, plans, { limit })) {
    const rows = await withTransaction(db, async (c) => {
      if (b.probes !== undefined) await c.query(settingsSql(b.probes));
      return (await c.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${b.sql}`, b.params)).rows;
    });
    walk(rows);
  }
  return scans.join(', ');
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
