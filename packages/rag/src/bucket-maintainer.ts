import type pg from 'pg';
import { withClient, type Database } from './db.js';
import {
  BUCKET_MIN_ROWS, bucketKey, bucketsToIndex, buildBucketIndex, countBuckets, readBucketIndexes, setBuildMemory,
  type Bucket, type BucketCount, type BucketIndexes, type IndexBuild,
} from './buckets.js';

// Any constant works: one bucket build at a time per database, whichever process runs it.
const BUILD_LOCK = 72_617_002;
const RETRY_MS = 60_000;

export interface MaintainerOptions extends IndexBuild {
  minRows?: number;
  /** built hears each bucket indexed, by bucketKey. */
  built?: (bucket: string) => void;
  /** failed hears a build that failed: it never fails a write, and the next crossing tries again. */
  failed: (err: unknown) => void;
  /** afterBuild runs once the builds of a check are done (the plan's statistics refresh). */
  afterBuild?: () => Promise<unknown>;
}

/**
 * BucketMaintainer gives a bucket its index when single records make it large
 * enough, or outgrow the one it has (see bucketsToIndex), without a bulk write:
 * it counts the rows records insert per bucket, and when a count crosses the
 * line, checks the real counts and builds in the background, CONCURRENTLY
 * (writes and searches go on), one build at a time (an advisory lock across
 * processes, one check at a time within this one). A failed build is reported
 * and left for the next crossing; the write that triggered it has succeeded.
 */
export class BucketMaintainer {
  #counts: Map<string, BucketCount> | undefined;
  #have: BucketIndexes | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #buildPid: number | undefined;
  #failedAt = -Infinity;

  constructor(private readonly db: Database, private readonly opts: MaintainerOptions, private readonly now = () => Date.now()) {}

  /** inserted notes a row a record added, and starts a check when its bucket may need an index. */
  inserted(row: { namespace: string; shared: boolean; framework: string }): void {
    const counts = this.#counts;
    const have = this.#have;
    // A check under way may have counted before this row: it checks again once done.
    if (counts === undefined || have === undefined || this.#running !== undefined) return this.#schedule();
    const buckets: Bucket[] = [
      { kind: 'tenant', namespace: row.namespace }, { kind: 'tenant', namespace: row.namespace, framework: row.framework },
      ...(row.shared ? [{ kind: 'shared' } as const, { kind: 'shared', framework: row.framework } as const] : []),
    ];
    const touched = buckets.map((bucket) => {
      const key = bucketKey(bucket);
      const now = { bucket, rows: (counts.get(key)?.rows ?? 0) + 1 };
      counts.set(key, now);
      return now;
    });
    if (bucketsToIndex(touched, have, this.opts.minRows ?? BUCKET_MIN_ROWS).length > 0) this.#schedule();
  }

  /** settled resolves when no check or build is running or due. */
  async settled(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** close cancels a build under way (its invalid index is dropped by the next) and waits for the check to end. */
  async close(): Promise<void> {
    this.#closed = true;
    const pid = this.#buildPid;
    if (pid !== undefined) await this.db.pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    await this.settled();
  }

  #schedule(): void {
    // A build that failed is tried again at a crossing a minute later, not at every record.
    if (this.#closed || this.now() - this.#failedAt < RETRY_MS) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#check().catch((err: unknown) => {
      this.#failedAt = this.now();
      this.opts.failed(err);
    }).finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.#schedule();
      }
    });
  }

  async #check(): Promise<void> {
    const built = await withClient(this.db, async (c) => {
      const postgres = this.db.kind === 'postgres';
      if (postgres) {
        const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [BUILD_LOCK]);
        // Another process builds: its writes' counts are its own; ours are read again at the next crossing.
        if (got.rows[0]?.ok !== true) return 0;
      }
      try {
        return await this.#buildDue(c, postgres);
      } finally {
        if (postgres) await c.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK]);
      }
    });
    if (built > 0) await this.opts.afterBuild?.();
  }

  async #buildDue(c: pg.PoolClient, postgres: boolean): Promise<number> {
    const counts = await countBuckets(c);
    const have = await readBucketIndexes(c);
    this.#counts = new Map(counts.map((b) => [bucketKey(b.bucket), b]));
    this.#have = have;
    const todo = bucketsToIndex(counts, have, this.opts.minRows ?? BUCKET_MIN_ROWS);
    if (todo.length === 0) return 0;
    if (postgres) {
      await setBuildMemory(c, this.opts);
      this.#buildPid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    }
    let built = 0;
    try {
      for (const t of todo) {
        if (this.#closed) break;
        await buildBucketIndex(c, t, { concurrently: postgres, timeoutMs: 3_600_000 });
        built += 1;
        this.opts.built?.(bucketKey(t.bucket));
      }
    } finally {
      this.#buildPid = undefined;
      if (postgres) await c.query('RESET maintenance_work_mem; RESET max_parallel_maintenance_workers; RESET statement_timeout');
    }
    this.#have = await readBucketIndexes(c);
    return built;
  }
}
