import { bucketKey, readBucketIndexes, type Bucket } from './buckets.js';
import { withClient, type Database } from './db.js';
import type { CaseFilters } from './records.js';

/**
 * EXACT_MS_PER_ROW, IVF_MS_PER_ROW and IVF_MS_PER_REJECT are the cost model a
 * plan is chosen by, fitted to `EXPLAIN ANALYZE` of the bench's statements
 * (generic plans, cached buffers; see the README): an exact search reads its
 * B-tree range index-only, 0.8-0.95 µs a row into a top-N sort; an IVF search
 * computes the distance to each list's center and to each row of the lists it
 * probes, 0.6 µs each (1M rows, broad: 3,164 in 1.85-2.0 ms), then fetches
 * rows in distance order from the table to check the filter, 1.5 µs for each
 * it rejects (a 5% filter rejects 380 for 20: 0.57 ms of 0.92-1.4 ms at 100k
 * and 300k rows). A tie goes to the exact plan.
 */
export const EXACT_MS_PER_ROW = 0.0008;
export const IVF_MS_PER_ROW = 0.0006;
export const IVF_MS_PER_REJECT = 0.0015;
/** STATS_TTL_MS is how long statistics are used before they are read again (in the background). */
export const STATS_TTL_MS = 60_000;

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
  /** indexed gives the lists of each bucket's IVF index, by bucketKey (`team-a`, `shared`, `team-a/flask`, `shared/flask`). */
  indexed: Map<string, number>;
  /** bucketRows counts each bucket's rows of every embedder (what its index spans), by bucketKey. */
  bucketRows: Map<string, number>;
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
    const indexes = await readBucketIndexes(c);
    const own = new Map<string, Group[]>();
    const shared = new Map<string, Group[]>();
    const add = (m: Map<string, Group[]>, key: string, g: Group): void => { m.set(key, [...(m.get(key) ?? []), g]); };
    const bucketRows = new Map<string, number>();
    const count = (b: Bucket, n: number): void => { bucketRows.set(bucketKey(b), (bucketRows.get(bucketKey(b)) ?? 0) + n); };
    for (const r of rows) {
      const g = { framework: r.framework, language: r.language, rows: Number(r.n) };
      count({ kind: 'tenant', namespace: r.namespace }, g.rows);
      count({ kind: 'tenant', namespace: r.namespace, framework: r.framework }, g.rows);
      if (r.shared) {
        count({ kind: 'shared' }, g.rows);
        count({ kind: 'shared', framework: r.framework }, g.rows);
      }
      add(own, `${r.embedder}\u0000${r.namespace}`, g);
      if (r.shared) add(shared, r.embedder, g);
    }
    return { at: now(), own, shared, indexed: new Map([...indexes].map(([key, i]) => [key, i.lists])), bucketRows };
  });
}

/** Part is one bucket of a search: the tenant's own rows, or the other teams' shared ones. */
export type Part = 'own' | 'shared';

/** PartPlan is how one bucket is searched: exact over a B-tree range, or by its IVF index probing `probes` lists. */
export type PartPlan =
  | { part: Part; plan: 'exact'; scanned: number; matched: number }
  | { part: Part; plan: 'ivf'; index: string; framework?: string; lists: number; probes: number; scanned: number; matched: number };

/** PlanMode: `auto` chooses per bucket from statistics; `exact` and `index` force one plan where it exists. */
export type PlanMode = 'auto' | 'exact' | 'index';

/** ProbeRule is how many of an index's `lists` lists a search reads before counting what its filter keeps. */
export type ProbeRule = (lists: number) => number;

/**
 * HALF_ROOT_PROBES reads ⌈√lists / 2⌉ lists: rows^¾ / 2 rows of a bucket of
 * √rows lists. Measured with the bench (queries between two of the data's
 * clusters, recall@5 of the merged answer of both buckets): 71 lists need 3
 * for 0.99, 100 need 4 for 0.999, 173 need 5-6 for 0.99, 316 need 8-10 for
 * 0.98-0.99; half of √lists gives 5, 5, 7 and 9. A filter keeping 5% of a
 * 173-list bucket needs no more (7 lists: recall 1.0; 4: 0.97).
 */
export const HALF_ROOT_PROBES: ProbeRule = (lists) => Math.ceil(Math.sqrt(lists) / 2);
/** ROOT_PROBES reads ⌈√lists⌉ lists, pgvector's rule of thumb: twice the rows, for recall 1.0 on the bench's data. */
export const ROOT_PROBES: ProbeRule = (lists) => Math.ceil(Math.sqrt(lists));

/**
 * probesFor is how many of a bucket's `lists` lists a search reads: `rule`
 * (the rows nearest the query sit in the lists whose centers are nearest it),
 * or more when the filter keeps so few of the rows (`kept` of `rows`) that
 * those lists would not hold `limit` of them; at most every list.
 */
export function probesFor(lists: number, rows: number, kept: number, limit: number, rule: ProbeRule = HALF_ROOT_PROBES): number {
  const perList = (kept / Math.max(1, rows)) * (rows / Math.max(1, lists));
  const enough = perList <= 0 ? lists : Math.ceil(limit / perList);
  return Math.min(lists, Math.max(1, rule(lists), enough));
}

/**
 * planSearch chooses each bucket's plan from the statistics: the IVF index of
 * the bucket, or with a framework filter of the framework's sub-bucket,
 * probing probesFor lists, when the cost model says reading those lists costs
 * less than reading the B-tree range the filter selects; else exact (recall
 * 1). A bucket without an index (fewer than BUCKET_MIN_ROWS rows when last
 * indexed) is searched exactly. `scanned` is the rows the chosen plan reads.
 */
export function planSearch(
  s: BucketSnapshot, scope: { embedder: string; tenant: string; filters: CaseFilters }, mode: PlanMode, limit = 20, rule: ProbeRule = HALF_ROOT_PROBES,
): PartPlan[] {
  const f = scope.filters;
  const matches = (g: Group): boolean => (f.framework === undefined || g.framework === f.framework) && (f.language === undefined || g.language === f.language);
  const sum = (gs: Group[], keep: (g: Group) => boolean): number => gs.reduce((n, g) => n + (keep(g) ? g.rows : 0), 0);
  const own = s.own.get(`${scope.embedder}\u0000${scope.tenant}`) ?? [];
  const shared = s.shared.get(scope.embedder) ?? [];
  // What each B-tree's key prefix selects: own (embedder, namespace, framework, language), shared (embedder, framework, language).
  const prefix = (g: Group): boolean => f.framework === undefined || (g.framework === f.framework && (f.language === undefined || g.language === f.language));
  const choose = (part: Part, rows: Group[], bucket: Bucket): PartPlan => {
    const range = sum(rows, prefix);
    const matched = sum(rows, matches);
    let best: PartPlan = { part, plan: 'exact', scanned: range, matched };
    if (mode === 'exact') return best;
    let cost = mode === 'auto' ? range * EXACT_MS_PER_ROW : Infinity;
    // The bucket's index, and with a framework filter its framework's sub-bucket index: the cheapest wins, a tie the exact plan.
    const indexes = [bucket, ...(f.framework === undefined ? [] : [{ ...bucket, framework: f.framework }])];
    for (const b of indexes) {
      const key = bucketKey(b);
      const lists = s.indexed.get(key);
      // An index spans its bucket's rows of every embedder: its lists hold those the filter keeps and the others alike.
      const total = Math.max(1, s.bucketRows.get(key) ?? 0);
      if (lists === undefined) continue;
      const probes = probesFor(lists, total, matched, limit, rule);
      const read = Math.round((probes * total) / lists);
      // Rows the filter rejects before `limit` pass, each fetched from the table: limit / share - limit.
      const rejected = matched <= 0 ? Infinity : (limit * total) / matched - limit;
      const ivfCost = (read + lists) * IVF_MS_PER_ROW + rejected * IVF_MS_PER_REJECT;
      if (ivfCost < cost || (mode === 'index' && best.plan === 'exact')) {
        cost = ivfCost;
        best = { part, plan: 'ivf', index: key, ...(b.framework === undefined ? {} : { framework: b.framework }), lists, probes, scanned: read, matched };
      }
    }
    return best;
  };
  return [choose('own', own, { kind: 'tenant', namespace: scope.tenant }), choose('shared', shared, { kind: 'shared' })];
}
