import { withClient, type Database } from './db.js';
import type { CaseFilters } from './records.js';

/**
 * EXACT_MS_PER_ROW and HNSW_MS_PER_EF are the cost model a plan is chosen by,
 * measured on PostgreSQL 15 + pgvector 0.8 (see the README): an exact search
 * reads its B-tree range index-only at about 0.8 µs a row; an HNSW walk costs
 * about 15 µs per unit of ef_search (iterative scan included).
 */
export const EXACT_MS_PER_ROW = 0.0008;
export const HNSW_MS_PER_EF = 0.015;
/** BUCKET_MIN_ROWS is how many of its own rows a tenant needs before it gets its own HNSW index: fewer are cheaper to search exactly. */
export const BUCKET_MIN_ROWS = 3000;
/** STATS_TTL_MS is how long statistics are used before they are read again (in the background). */
export const STATS_TTL_MS = 60_000;
/** BASE_EF_SEARCH is hnsw.ef_search for a bucket of up to 10k rows that the filter keeps whole; larger buckets and narrower filters scale it up to 1000. */
export const BASE_EF_SEARCH = 200;

/** Group is a count of rows sharing every filter column a plan looks at. */
export interface Group {
  framework: string;
  language: string;
  rows: number;
}

/** BucketSnapshot is what the statistics said when last read. */
export interface BucketSnapshot {
  at: number;
  /** own groups rows by embedder and namespace; shared groups the shared rows by embedder. */
  own: Map<string, Group[]>;
  shared: Map<string, Group[]>;
  /** indexed holds the namespaces with their own HNSW index. */
  indexed: Set<string>;
}

/**
 * BucketStats are a store's row counts per embedder, tenant, framework and
 * language, read with one GROUP BY on the narrow table and kept for
 * STATS_TTL_MS; past that the stale counts serve while fresh ones are read.
 * Counts only choose a plan: a stale count can make a search slower, never wrong.
 */
export class BucketStats {
  #snapshot: BucketSnapshot | undefined;
  #reading: Promise<BucketSnapshot> | undefined;

  constructor(private readonly db: Database, private readonly ttlMs = STATS_TTL_MS, private readonly now = () => Date.now()) {}

  /** current returns the statistics, reading them when there are none yet. */
  async current(): Promise<BucketSnapshot> {
    const s = this.#snapshot;
    if (s === undefined) return this.refresh();
    if (this.now() - s.at > this.ttlMs) void this.refresh().catch(() => undefined);
    return s;
  }

  /** refresh reads the counts now (one read at a time). */
  refresh(): Promise<BucketSnapshot> {
    this.#reading ??= readBucketSnapshot(this.db, this.now).then(
      (s) => { this.#snapshot = s; this.#reading = undefined; return s; },
      (err: unknown) => { this.#reading = undefined; throw err; },
    );
    return this.#reading;
  }
}

async function readBucketSnapshot(db: Database, now: () => number): Promise<BucketSnapshot> {
  return withClient(db, async (c) => {
    const { rows } = await c.query<{ embedder: string; namespace: string; shared: boolean; framework: string; language: string; n: string }>(
      'SELECT embedder, namespace, shared, framework, language, count(*) AS n FROM deployment_vectors GROUP BY 1, 2, 3, 4, 5',
    );
    const indexes = await c.query<{ def: string }>("SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'deployment_vectors' AND schemaname = current_schema()");
    const own = new Map<string, Group[]>();
    const shared = new Map<string, Group[]>();
    const add = (m: Map<string, Group[]>, key: string, g: Group): void => { m.set(key, [...(m.get(key) ?? []), g]); };
    for (const r of rows) {
      const g = { framework: r.framework, language: r.language, rows: Number(r.n) };
      add(own, `${r.embedder}\u0000${r.namespace}`, g);
      if (r.shared) add(shared, r.embedder, g);
    }
    const indexed = new Set<string>();
    for (const { def } of indexes.rows) {
      const m = /USING hnsw .* WHERE \(namespace = '((?:[^']|'')*)'::text\)$/.exec(def);
      if (m?.[1] !== undefined) indexed.add(m[1].replaceAll("''", "'"));
    }
    return { at: now(), own, shared, indexed };
  });
}

/** Part is one bucket of a search: the tenant's own rows, or the other teams' shared ones. */
export type Part = 'own' | 'shared';

/** PartPlan is how one bucket is searched: exact over a B-tree range, or its HNSW index at an ef_search. */
export type PartPlan = { part: Part; plan: 'exact'; scanned: number; matched: number } | { part: Part; plan: 'hnsw'; efSearch: number; scanned: number; matched: number };

/** PlanMode: `auto` chooses per bucket from statistics; `exact` and `hnsw` force one plan where it exists. */
export type PlanMode = 'auto' | 'exact' | 'hnsw';

/**
 * planSearch chooses each bucket's plan from the statistics: its HNSW index,
 * with ef_search scaled by how few of the bucket's rows pass the filter, when
 * the cost model says walking it is cheaper than reading the B-tree range the
 * filter selects; else exact (recall 1). A bucket with no HNSW index (a tenant
 * below BUCKET_MIN_ROWS when last indexed) is searched exactly.
 */
export function planSearch(s: BucketSnapshot, scope: { embedder: string; tenant: string; filters: CaseFilters }, mode: PlanMode): PartPlan[] {
  const f = scope.filters;
  const matches = (g: Group): boolean => (f.framework === undefined || g.framework === f.framework) && (f.language === undefined || g.language === f.language);
  const sum = (gs: Group[], keep: (g: Group) => boolean): number => gs.reduce((n, g) => n + (keep(g) ? g.rows : 0), 0);
  const own = s.own.get(`${scope.embedder}\u0000${scope.tenant}`) ?? [];
  const shared = s.shared.get(scope.embedder) ?? [];
  // What each B-tree's key prefix selects: own (embedder, namespace, framework, language), shared (embedder, framework, language).
  const ownPrefix = (g: Group): boolean => f.framework === undefined || (g.framework === f.framework && (f.language === undefined || g.language === f.language));
  const sharedPrefix = ownPrefix;
  const choose = (part: Part, rows: Group[], prefix: (g: Group) => boolean, hasIndex: boolean): PartPlan => {
    const scanned = sum(rows, prefix);
    const matched = sum(rows, matches);
    const total = sum(rows, () => true);
    // A larger graph needs a wider walk for the same recall: the base grows with the square root of the bucket past 10k rows.
    const base = BASE_EF_SEARCH * Math.max(1, Math.sqrt(total / 10_000));
    const efSearch = Math.min(1000, Math.ceil(base * Math.max(1, total / Math.max(1, matched))));
    const cheaper = scanned * EXACT_MS_PER_ROW <= efSearch * HNSW_MS_PER_EF;
    if (mode === 'exact' || !hasIndex || (mode === 'auto' && cheaper)) return { part, plan: 'exact', scanned, matched };
    return { part, plan: 'hnsw', efSearch, scanned, matched };
  };
  return [choose('own', own, ownPrefix, s.indexed.has(scope.tenant)), choose('shared', shared, sharedPrefix, true)];
}
