import type { SimilarCase } from '@scia/api';
import { formatIssues } from '@scia/api';
import { withClient, withTransaction, type Database } from './db.js';
import type { Embedder } from './embedders/embedder.js';
import { migrate } from './migrations.js';
import { rerank } from './rank.js';
import { CaseQuery, DEFAULT_WEIGHTS, DeploymentRecord, type CaseQueryInput, type DeploymentRecordInput, type RecordKey, type Weights } from './records.js';
import { fail, ok, type Result } from '@scia/api';
import { attempt } from './result.js';
import { searchRows, toSimilarCase, type SearchMode } from './search.js';
import { appSummary, intentOf } from './summary.js';
import { checkVector } from './vector.js';

import { BucketStats } from './plan.js';
import { BUCKET_MIN_ROWS, ensureBucketIndexes } from './buckets.js';
import { BucketMaintainer } from './bucket-maintainer.js';
import { readOutcome, sameOutcome, writeRows, type PreparedRow } from './write.js';
import { prewarmSearch } from './prewarm.js';

/**
 * DEFAULT_PROBES, 0, leaves ivfflat.probes to the plan: √lists, more when the
 * filter keeps few of a bucket's rows (see plan.ts).
 */
export const DEFAULT_PROBES = 0;

/** Clock tells the time (the runtime's Clock has the same shape). */
export interface StoreClock {
  now(): Date;
}

export interface StoreOptions {
  db: Database;
  embedder: Embedder;
  clock?: StoreClock;
  weights?: Weights;
  /** mode is how searches read the vectors: `auto` (default: planned from statistics), `index` or `exact`. */
  mode?: SearchMode;
  /** probes fixes ivfflat.probes instead of planning it. */
  probes?: number;
  /** bucketMinRows is how many rows a bucket needs for its own index (default BUCKET_MIN_ROWS). */
  bucketMinRows?: number;
  /**
   * prewarm (default true) reads, once the store is first searched and in the
   * background, the IVF bucket indexes into PostgreSQL's shared buffers when the
   * database has pg_prewarm (see prewarmSearch).
   */
  prewarm?: boolean;
  /** warn hears what goes wrong in the background (a bucket index build, a prewarm); default: stderr. */
  warn?: (message: string) => void;
}

/** SearchResult is a search's ranked cases and why any row was left out. */
export interface SearchResult {
  embedder: string;
  cases: SimilarCase[];
  warnings: string[];
}

/** RecordResult tells whether a record wrote its row (false: the row already said so). */
export interface RecordResult {
  id: string;
  written: boolean;
}

/**
 * Store keeps past deployments with their outcomes, feedback and embeddings,
 * and finds those most like a new app. The same code runs on PostgreSQL and on
 * PGlite; every value reaches SQL as a bound parameter.
 */
export interface Store {
  readonly db: Database;
  readonly embedder: Embedder;
  record(input: DeploymentRecordInput): Promise<Result<RecordResult>>;
  /** setFeedback sets a row's feedback and comment, adding `causes` (what the comment says went wrong) to the row's. */
  setFeedback(key: RecordKey, feedback: number, comment: string | undefined, causes?: readonly string[]): Promise<Result<{ found: boolean; changed: boolean }>>;
  search(query: CaseQueryInput, opts?: { weights?: Weights; mode?: SearchMode }): Promise<Result<SearchResult>>;
  /** prepare validates and embeds records for writeMany. */
  prepare(inputs: readonly DeploymentRecordInput[]): Promise<Result<PreparedRow[]>>;
  /** writeMany upserts prepared rows in one transaction, then runs ANALYZE and builds the bucket indexes the rows made due. */
  writeMany(rows: readonly PreparedRow[]): Promise<Result<number>>;
  /** indexed resolves once no bucket index build that records started is running or due. */
  indexed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * openStore applies the migrations the database lacks and returns the store,
 * with `created` true when this call created the schema (a fresh store).
 */
export async function openStore(opts: StoreOptions): Promise<Result<{ store: Store; created: boolean }>> {
  const migrated = await attempt(`cannot migrate the deployments store at ${opts.db.where}`, () => migrate(opts.db));
  if (!migrated.ok) return migrated;
  if (opts.embedder.dimensions !== undefined && opts.embedder.dimensions !== 384) {
    return fail(`cannot use embedder ${opts.embedder.id}: it makes ${opts.embedder.dimensions}-dimension vectors, the store keeps 384`);
  }
  return ok({ store: new PgStore(opts), created: migrated.value.includes(1) });
}

class PgStore implements Store {
  readonly db: Database;
  readonly embedder: Embedder;
  readonly #clock: StoreClock;
  readonly #weights: Weights;
  readonly #mode: SearchMode;
  readonly #probes: number | undefined;
  readonly #stats: BucketStats;
  readonly #minRows: number;
  readonly #buckets: BucketMaintainer;
  readonly #warn: (message: string) => void;
  #warming: Promise<void> | undefined;
  readonly #closing = new AbortController();

  constructor(opts: StoreOptions) {
    this.db = opts.db;
    this.embedder = opts.embedder;
    this.#clock = opts.clock ?? { now: () => new Date() };
    this.#weights = opts.weights ?? DEFAULT_WEIGHTS;
    this.#mode = opts.mode ?? 'auto';
    this.#probes = opts.probes === DEFAULT_PROBES ? undefined : opts.probes;
    this.#stats = new BucketStats(opts.db);
    this.#minRows = opts.bucketMinRows ?? BUCKET_MIN_ROWS;
    const warn = opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
    this.#warn = warn;
    // Never started: nothing to prewarm.
    if (opts.prewarm === false) this.#warming = Promise.resolve();
    this.#buckets = new BucketMaintainer(opts.db, {
      minRows: this.#minRows,
      failed: (err) => warn(`cannot build a bucket index of the deployments store at ${opts.db.where}: ${err instanceof Error ? err.message : String(err)}`),
      afterBuild: () => this.#stats.refresh(),
    });
  }

  async prepare(inputs: readonly DeploymentRecordInput[]): Promise<Result<PreparedRow[]>> {
    const records: DeploymentRecord[] = [];
    for (const [i, input] of inputs.entries()) {
      const parsed = DeploymentRecord.safeParse(input);
      if (!parsed.success) return fail(`cannot read deployment record ${i}: ${formatIssues(parsed.error)}`);
      records.push(parsed.data);
    }
    const summaries = records.map((r) => appSummary(r.app));
    const vectors = await this.#embed(summaries);
    if (!vectors.ok) return vectors;
    const at = this.#clock.now();
    return ok(records.map((record, i) => ({ record, summary: summaries[i] ?? '', embedding: vectors.value[i] ?? [], embedder: this.embedder.id, at })));
  }

  async writeMany(rows: readonly PreparedRow[]): Promise<Result<number>> {
    return attempt('cannot write deployments', async () => {
      const written = await withTransaction(this.db, (client) => writeRows(client, rows, { upsert: true }));
      // PGlite has no autovacuum, and a bulk load leaves planner statistics stale.
      await withClient(this.db, (client) => client.query('ANALYZE deployments, deployment_vectors'));
      // A bucket the load made large gets its own IVF index, and the plans see the new counts.
      await ensureBucketIndexes(this.db, { minRows: this.#minRows });
      await this.#stats.refresh();
      return written;
    });
  }

  async record(input: DeploymentRecordInput): Promise<Result<RecordResult>> {
    const parsed = DeploymentRecord.safeParse(input);
    if (!parsed.success) return fail(`cannot read the deployment record: ${formatIssues(parsed.error)}`);
    const r = parsed.data;
    const what = `cannot record deployment ${r.name} (${r.xrUid}, decision ${r.decisionHash.slice(0, 12)})`;
    const stored = await attempt(what, () => withClient(this.db, (c) => readOutcome(c, r.xrUid, r.decisionHash)));
    if (!stored.ok) return stored;
    if (stored.value !== undefined && sameOutcome(stored.value, r, this.embedder.id)) return ok({ id: stored.value.id, written: false });
    const prepared = await this.prepare([r]);
    if (!prepared.ok) return fail(`${what}: ${prepared.error}`);
    return attempt(what, async () => {
      const written = await withClient(this.db, (c) => writeRows(c, prepared.value, { upsert: true }));
      const id = stored.value?.id ?? (await withClient(this.db, (c) => readOutcome(c, r.xrUid, r.decisionHash)))?.id ?? '';
      // A new row may take its bucket over the line for an index: built in the background, never failing this write.
      if (stored.value === undefined && written > 0) this.#buckets.inserted({ namespace: r.namespace, shared: r.shared, framework: r.app.framework });
      return { id, written: written > 0 };
    });
  }

  async setFeedback(key: RecordKey, feedback: number, comment: string | undefined, causes: readonly string[] = []): Promise<Result<{ found: boolean; changed: boolean }>> {
    if (![-1, 0, 1].includes(feedback)) return fail(`cannot set feedback ${feedback}: want -1, 0 or +1`);
    return attempt(`cannot set feedback on ${key.xrUid} (decision ${key.decisionHash.slice(0, 12)})`, () =>
      withClient(this.db, async (c) => {
        const updated = await c.query(
          `UPDATE deployments SET user_feedback = $3, feedback_comment = $4, updated_at = $5,
             causes = ARRAY(SELECT DISTINCT unnest(causes || $6::text[]) ORDER BY 1)
           WHERE xr_uid = $1 AND decision_hash = $2
             AND (user_feedback, feedback_comment, causes @> $6::text[]) IS DISTINCT FROM ($3::smallint, $4::text, true)`,
          [key.xrUid, key.decisionHash, feedback, comment ?? null, this.#clock.now(), [...causes]],
        );
        if ((updated.rowCount ?? 0) > 0) return { found: true, changed: true };
        return { found: (await readOutcome(c, key.xrUid, key.decisionHash)) !== undefined, changed: false };
      }),
    );
  }

  async search(input: CaseQueryInput, opts: { weights?: Weights; mode?: SearchMode } = {}): Promise<Result<SearchResult>> {
    const parsed = CaseQuery.safeParse(input);
    if (!parsed.success) return fail(`cannot read the query: ${formatIssues(parsed.error)}`);
    const q = parsed.data;
    const vectors = await this.#embed([appSummary(q.app)]);
    if (!vectors.ok) return vectors;
    const vector = vectors.value[0] ?? [];
    const scope = { embedder: this.embedder.id, tenant: q.tenant, filters: q.filters };
    this.#warming ??= prewarmSearch(this.db, { signal: this.#closing.signal }).then(() => undefined, (err: unknown) => {
      if (!this.#closing.signal.aborted) this.#warn(`cannot prewarm the search indexes of the deployments store at ${this.db.where}: ${err instanceof Error ? err.message : String(err)}`);
    });
    const limit = Math.max(4 * q.k, 20);
    const search = { mode: opts.mode ?? this.#mode, limit, stats: this.#stats, ...(this.#probes === undefined ? {} : { probes: this.#probes }) };
    const raw = await attempt(`cannot search deployments at ${this.db.where}`, async () => {
      const first = await searchRows(this.db, vector, scope, search);
      // Nothing within the filters: the wider ones, with the vector already made.
      if (first.rows.length > 0 || q.widen === undefined) return first;
      return searchRows(this.db, vector, { ...scope, filters: q.widen }, search);
    });
    if (!raw.ok) return raw;
    const candidates = raw.value.rows.map((row) => ({
      ...row,
      feedback: row.user_feedback,
      costMonthly: row.cost_monthly ?? undefined,
      recordedAt: row.created_at,
    }));
    const budget = q.filters.maxCostMonthly ?? q.app.budgetMonthly;
    const now = this.#clock.now();
    const ranked = rerank(candidates, { weights: opts.weights ?? this.#weights, now, intent: intentOf(q.app), budgetMonthly: budget, k: q.k });
    return ok({ embedder: this.embedder.id, cases: ranked.map((r) => toSimilarCase(r, q.tenant, now)), warnings: raw.value.skipped });
  }

  async #embed(texts: readonly string[]): Promise<Result<number[][]>> {
    const out = await this.embedder.embed(texts);
    if (!out.ok) return out;
    for (const [i, v] of out.value.entries()) {
      const bad = checkVector(v);
      if (bad !== undefined) return fail(`cannot use the embedding of text ${i} from ${this.embedder.id}: ${bad}`);
    }
    return out;
  }

  indexed(): Promise<void> {
    return this.#buckets.settled();
  }

  async close(): Promise<void> {
    await this.#buckets.close();
    // A prewarm under way is cancelled: closing does not wait for it.
    this.#closing.abort();
    await this.#warming;
    await this.db.close();
  }
}
