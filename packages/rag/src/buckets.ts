import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withClient, type Database } from './db.js';

/** BUCKET_MIN_ROWS is how many rows a bucket (a tenant's own rows, or the shared ones) needs before it gets a vector index: fewer are cheaper to search exactly. */
export const BUCKET_MIN_ROWS = 3000;

/** IndexBuild sets how a bucket index is built: memory (keep the build in it) and parallel workers. */
export interface IndexBuild {
  maintenanceWorkMem?: string;
  parallelWorkers?: number;
}

/** DEFAULT_INDEX_BUILD keeps a 1M-row bucket's k-means and sort in memory on a modest server. */
export const DEFAULT_INDEX_BUILD: Required<IndexBuild> = { maintenanceWorkMem: '1GB', parallelWorkers: 2 };

/**
 * Bucket is a set of rows searched apart: one tenant's own rows, or every
 * shared row; with a framework, those of that framework only (a sub-bucket,
 * for a selective search of a large bucket).
 */
export type Bucket = { kind: 'tenant'; namespace: string; framework?: string } | { kind: 'shared'; framework?: string };

/** SHARED_INDEX is the shared bucket's index. */
export const SHARED_INDEX = 'deployment_vectors_shared_ivf';

/** bucketIndexName is a bucket's index name; a tenant's is derived from a digest, so any namespace fits. */
export function bucketIndexName(b: Bucket | string): string {
  const bucket: Bucket = typeof b === 'string' ? { kind: 'tenant', namespace: b } : b;
  const digest = (x: string): string => createHash('sha256').update(x).digest('hex').slice(0, 16);
  if (bucket.framework !== undefined) {
    return bucket.kind === 'shared' ? `deployment_vectors_sf_${digest(bucket.framework)}` : `deployment_vectors_tf_${digest(`${bucket.namespace}\u0000${bucket.framework}`)}`;
  }
  if (bucket.kind === 'shared') return SHARED_INDEX;
  return `deployment_vectors_t_${digest(bucket.namespace)}`;
}

/** bucketKey names a bucket in maps and reports: `namespace`, `shared`, `namespace/framework`, `shared/framework`. */
export function bucketKey(b: Bucket): string {
  const base = b.kind === 'shared' ? 'shared' : b.namespace;
  return b.framework === undefined ? base : `${base}/${b.framework}`;
}

/**
 * listsFor is how many IVF lists a bucket of `rows` rows is built with: √rows,
 * so a list holds as many rows as there are lists and a search reading √lists
 * of them reads rows^¾ rows (5,600 of 100k).
 */
export function listsFor(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}

/**
 * stale tells whether a bucket's index, built with `lists` lists, no longer
 * fits its `rows`: the bucket has grown fourfold since (twice the lists it
 * would get now), so each list, and each search, reads twice what it should,
 * and its centers were trained on a quarter of the rows.
 */
export function stale(lists: number, rows: number): boolean {
  return listsFor(rows) >= 2 * lists;
}

/** BucketIndex is a bucket's valid index and the lists it was built with. */
export interface BucketIndex {
  name: string;
  lists: number;
}

/** BucketIndexes are the valid bucket indexes, by bucketKey. */
export type BucketIndexes = Map<string, BucketIndex>;

const LITERAL = "'((?:[^']|'')*)'::text";
const unquote = (x: string): string => x.replaceAll("''", "'");

/**
 * readBucketIndexes returns the valid IVF indexes on the narrow table by
 * bucketKey, read from their predicates. An index a failed concurrent build
 * left invalid is not one.
 */
export async function readBucketIndexes(c: pg.PoolClient): Promise<BucketIndexes> {
  const { rows } = await c.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = 'deployment_vectors' AND t.relnamespace = to_regnamespace(current_schema())::oid
     AND x.indisvalid`,
  );
  const out: BucketIndexes = new Map();
  for (const { name, def } of rows) {
    const lists = /USING ivfflat .*WITH \(lists='?(\d+)'?\)/.exec(def)?.[1];
    if (lists === undefined) continue;
    const index = { name, lists: Number(lists) };
    const where = / WHERE (.*)$/.exec(def)?.[1] ?? '';
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^\\(namespace = ${LITERAL}\\)$`).exec(where)) !== null) out.set(bucketKey({ kind: 'tenant', namespace: unquote(m[1] ?? '') }), index);
    else if ((m = new RegExp(`^\\(\\(namespace = ${LITERAL}\\) AND \\(framework = ${LITERAL}\\)\\)$`).exec(where)) !== null) {
      out.set(bucketKey({ kind: 'tenant', namespace: unquote(m[1] ?? ''), framework: unquote(m[2] ?? '') }), index);
    } else if (where === 'shared') out.set('shared', index);
    else if ((m = new RegExp(`^\\(shared AND \\(framework = ${LITERAL}\\)\\)$`).exec(where)) !== null) out.set(bucketKey({ kind: 'shared', framework: unquote(m[1] ?? '') }), index);
  }
  return out;
}

/** BucketCount is a bucket and its rows. */
export interface BucketCount {
  bucket: Bucket;
  rows: number;
}

/** BucketTodo is a bucket whose index is missing or stale, with the lists its build gets. */
export interface BucketTodo {
  bucket: Bucket;
  rows: number;
  lists: number;
  replaces: BucketIndex | undefined;
}

/** bucketsToIndex are the buckets of at least `minRows` rows whose index is missing or stale, given their row counts. */
export function bucketsToIndex(counts: readonly BucketCount[], have: BucketIndexes, minRows = BUCKET_MIN_ROWS): BucketTodo[] {
  const todo: BucketTodo[] = [];
  for (const { bucket, rows } of counts) {
    if (bucket.kind === 'tenant' && bucket.namespace === '') continue;
    const index = have.get(bucketKey(bucket));
    if (rows < minRows || (index !== undefined && !stale(index.lists, rows))) continue;
    todo.push({ bucket, rows, lists: listsFor(rows), replaces: index });
  }
  return todo;
}

/**
 * buildBucketIndex builds one bucket's partial IVF index (`WHERE namespace =
 * ...` or `WHERE shared`) with `lists` lists. `concurrently` (PostgreSQL)
 * lets writes go on meanwhile; an index it replaces is dropped once the new
 * one is valid, and a leftover of an interrupted build is dropped first.
 */
export async function buildBucketIndex(c: pg.PoolClient, todo: BucketTodo, opts: { concurrently: boolean; timeoutMs?: number }): Promise<void> {
  const name = bucketIndexName(todo.bucket);
  const b = todo.bucket;
  const where = [b.kind === 'shared' ? 'shared' : `namespace = ${c.escapeLiteral(b.namespace)}`, ...(b.framework === undefined ? [] : [`framework = ${c.escapeLiteral(b.framework)}`])].join(' AND ');
  const conc = opts.concurrently ? 'CONCURRENTLY ' : '';
  // pg honours a query's own query_timeout over the pool's (a store's is seconds; a build may take minutes).
  const q = (text: string): Promise<unknown> => c.query(opts.timeoutMs === undefined ? text : ({ text, query_timeout: opts.timeoutMs } as pg.QueryConfig));
  const target = todo.replaces === undefined ? name : `${name}_next`;
  // Left by a build that did not finish: invalid, or never swapped in.
  await q(`DROP INDEX ${conc}IF EXISTS ${name}_next`);
  if (todo.replaces === undefined) await q(`DROP INDEX ${conc}IF EXISTS ${name}`);
  await q(`CREATE INDEX ${conc}${target} ON deployment_vectors USING ivfflat (embedding halfvec_cosine_ops) WITH (lists = ${todo.lists}) WHERE ${where}`);
  if (todo.replaces !== undefined) {
    await q(`DROP INDEX ${conc}IF EXISTS ${todo.replaces.name}`);
    await q(`ALTER INDEX ${target} RENAME TO ${name}`);
  }
}

/**
 * countBuckets counts each bucket's rows from the narrow table: each tenant's
 * own and the shared rows, each also by framework, sorted by bucketKey.
 */
export async function countBuckets(c: pg.PoolClient): Promise<BucketCount[]> {
  const { rows } = await c.query<{ namespace: string; framework: string; n: string; shared: string }>(
    'SELECT namespace, framework, count(*) AS n, count(*) FILTER (WHERE shared) AS shared FROM deployment_vectors GROUP BY namespace, framework',
  );
  const counts = new Map<string, BucketCount>();
  const add = (bucket: Bucket, n: number): void => {
    if (n === 0) return;
    const key = bucketKey(bucket);
    const had = counts.get(key);
    counts.set(key, { bucket, rows: (had?.rows ?? 0) + n });
  };
  for (const r of rows) {
    add({ kind: 'tenant', namespace: r.namespace }, Number(r.n));
    add({ kind: 'tenant', namespace: r.namespace, framework: r.framework }, Number(r.n));
    add({ kind: 'shared' }, Number(r.shared));
    add({ kind: 'shared', framework: r.framework }, Number(r.shared));
  }
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

/**
 * ensureBucketIndexes gives every bucket (and framework sub-bucket) of at
 * least `minRows` rows an IVF index of its own (built, or rebuilt once it grew fourfold), so a broad search
 * reads the lists nearest the query instead of the bucket. It returns the
 * buckets it indexed, by bucketKey (`team-a`, `shared`, `team-a/flask`).
 * Bulk writes and the bench run it, in the foreground; single records leave
 * it to a BucketMaintainer, in the background.
 */
export async function ensureBucketIndexes(db: Database, opts: IndexBuild & { minRows?: number } = {}): Promise<string[]> {
  return withClient(db, async (c) => {
    const todo = bucketsToIndex(await countBuckets(c), await readBucketIndexes(c), opts.minRows);
    if (todo.length === 0) return [];
    if (db.kind === 'postgres') await setBuildMemory(c, opts);
    try {
      for (const t of todo) await buildBucketIndex(c, t, { concurrently: false, timeoutMs: 3_600_000 });
    } finally {
      if (db.kind === 'postgres') await c.query('RESET maintenance_work_mem; RESET max_parallel_maintenance_workers; RESET statement_timeout');
    }
    return todo.map((t) => bucketKey(t.bucket));
  });
}

/** setBuildMemory sets, for the session, the build's memory and workers, and no statement timeout. */
export async function setBuildMemory(c: pg.PoolClient, opts: IndexBuild): Promise<void> {
  await c.query("SELECT set_config('maintenance_work_mem', $1, false), set_config('max_parallel_maintenance_workers', $2, false), set_config('statement_timeout', '0', false)", [
    opts.maintenanceWorkMem ?? DEFAULT_INDEX_BUILD.maintenanceWorkMem, String(opts.parallelWorkers ?? DEFAULT_INDEX_BUILD.parallelWorkers),
  ]);
}
