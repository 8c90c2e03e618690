import pg from 'pg';
import { withClient, type Database } from './db.js';

/** Prewarmed says what prewarmSearch read, how, and in how long. */
export interface Prewarmed {
  /** mode is `buffer` (into shared buffers) or `prefetch` (asked of the operating system, when they would take over BUFFER_SHARE of shared buffers). */
  mode: 'buffer' | 'prefetch';
  relations: number;
  blocks: number;
  ms: number;
}

/** BUFFER_SHARE is the most of shared_buffers prewarmSearch fills: the rest stays for the rows and everything else. */
export const BUFFER_SHARE = 0.5;

/**
 * prewarmSearch reads the structures a search scans into PostgreSQL's shared
 * buffers with pg_prewarm: every valid IVF bucket index and the deployments'
 * primary key (the join). pgvector reads an IVF index's lists through a small
 * ring of buffers, so however often they are searched they never stay in
 * shared buffers: they are only as warm as the operating system's page cache,
 * and after a restart, or once other files have pushed them out, the first
 * searches read them from disk (the 1M-row bench: p95 166 ms cold against
 * 21 ms warm; see README). Prewarmed, they are hits in shared buffers, which
 * searches keep in use. When they would take over BUFFER_SHARE of shared
 * buffers (`share`), the operating system is only asked to read them ahead (`prefetch`).
 * Returns why not when the database lacks the extension (`CREATE EXTENSION
 * pg_prewarm`, as a superuser) or is embedded. `signal` cancels the statement
 * under way (a store closing does not wait seconds for it) and reads no more.
 */
export async function prewarmSearch(db: Database, opts: { share?: number; signal?: AbortSignal } = {}): Promise<Prewarmed | string> {
  const share = opts.share ?? BUFFER_SHARE;
  if (db.kind !== 'postgres') return 'an embedded store is read from its own files';
  return withClient(db, async (c) => {
    const ext = await c.query<{ schema: string }>("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_prewarm'");
    const schema = ext.rows[0]?.schema;
    if (schema === undefined) return 'the database has no pg_prewarm extension';
    const { rows } = await c.query<{ name: string; bytes: string; budget: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_relation_size(i.indexrelid) AS bytes, pg_size_bytes(current_setting('shared_buffers')) AS budget
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE i.indisvalid AND ((i.indrelid = 'deployment_vectors'::regclass AND a.amname = 'ivfflat') OR (i.indrelid = 'deployments'::regclass AND i.indisprimary))
       ORDER BY 1`);
    const total = rows.reduce((n, r) => n + Number(r.bytes), 0);
    const mode = total <= Number(rows[0]?.budget ?? 0) * share ? 'buffer' : 'prefetch';
    const started = Date.now();
    let blocks = 0;
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const cancel = (): void => void db.pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    opts.signal?.addEventListener('abort', cancel, { once: true });
    try {
      // One relation a statement: each stays well inside the statement timeout.
      for (const r of rows) {
        if (opts.signal?.aborted === true) return 'cancelled';
        const out = await c.query<{ blocks: string }>(`SELECT ${pg.escapeIdentifier(schema)}.pg_prewarm($1::regclass, $2) AS blocks`, [r.name, mode]);
        blocks += Number(out.rows[0]?.blocks ?? 0);
      }
    } finally {
      opts.signal?.removeEventListener('abort', cancel);
    }
    return { mode, relations: rows.length, blocks, ms: Date.now() - started };
  });
}
