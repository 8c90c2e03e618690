import type pg from 'pg';
import type { PartPlan } from './plan.js';
import { executeSql, keptOn, PLANS_PER_CONNECTION, resync } from './prepared.js';

/**
 * settingsSql sets, for the current transaction only, how many lists an IVF
 * bucket probes (more, iteratively, when the filter leaves fewer rows than
 * asked for), and keeps the planner on the planned index. The costs disabled
 * plans carry would also cross the JIT threshold (half a second of compiling): no JIT.
 */
export function settingsSql(probes: number): string {
  if (!Number.isInteger(probes) || probes < 1 || probes > 100_000) throw new Error(`cannot set ivfflat.probes to ${probes}: want a whole number from 1 to 100000`);
  return `SET LOCAL ivfflat.probes = ${probes}; SET LOCAL ivfflat.iterative_scan = relaxed_order; SET LOCAL enable_seqscan = off;
    SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off; SET LOCAL jit = off`;
}

/** BucketQuery is one bucket's statement, its bound parameters, and the probes settingsSql sets when it reads an IVF index. */
export interface BucketQuery {
  part: PartPlan['part'];
  sql: string;
  params: unknown[];
  probes: number | undefined;
  /** name is the statement's name on a connection: a digest of its text, so each connection plans it once. */
  name: string;
}

/** RunOptions are how runBucket runs a statement; the defaults are the product's. */
export interface RunOptions {
  /** replan plans the statement anew (an unnamed statement, in a transaction for an IVF bucket): benchmarks compare. */
  replan?: boolean;
  /** transaction runs an IVF bucket as BEGIN with its settings, the statement, COMMIT: three round trips, the benchmarks' baseline. */
  transaction?: boolean;
  /** plansPerConnection bounds the bucket statements a connection keeps prepared (default PLANS_PER_CONNECTION). */
  plansPerConnection?: number;
}

/**
 * runBucket runs one bucket's statement on its connection in one round trip:
 * one simple-protocol message that (the first time on this connection, see
 * prepared.ts) prepares the statement, sets an IVF bucket's probes and
 * settings with SET LOCAL, and executes it. The statements of one message run
 * as one implicit transaction, so the settings end with it and never reach
 * the pool's next user; an error rolls it all back. The prepared statement
 * keeps its plan on the connection: an IVF bucket's a generic plan from its
 * first run (`force_generic_plan`, set with the probes), an exact bucket's
 * one once PostgreSQL finds it no costlier than the custom plans of its first
 * five runs. The text names the bucket by literals, so the generic plan keeps
 * the bucket's partial index. Planning checks every partial index's
 * predicate: 1.1 ms a statement with the 231 indexes of the bench's 1M rows;
 * reusing the plan, 0.07 ms.
 */
export async function runBucket(client: pg.PoolClient, q: BucketQuery, opts: RunOptions = {}): Promise<unknown[]> {
  if (opts.replan === true || opts.transaction === true) return runInTransaction(client, q, opts.replan === true);
  const settings = q.probes === undefined ? '' : `${settingsSql(q.probes)}; SET LOCAL plan_cache_mode = force_generic_plan; `;
  const kept = keptOn(client, opts.plansPerConnection ?? PLANS_PER_CONNECTION);
  const { prepare, evict } = kept.admit(q.name);
  const text = `${prepare === undefined ? '' : `${evict.map((n) => `DEALLOCATE ${n}; `).join('')}PREPARE ${q.name} AS ${q.sql}; `}${settings}${executeSql(q.name, q.params)}`;
  try {
    const out: unknown = await client.query(text);
    kept.settle(q.name, evict);
    // One statement gives one result, several an array of them: the rows are the last one's.
    const results = Array.isArray(out) ? out : [out];
    const last: unknown = results[results.length - 1];
    const rows: unknown = typeof last === 'object' && last !== null && 'rows' in last ? last.rows : undefined;
    return Array.isArray(rows) ? (rows as unknown[]) : [];
  } catch (err) {
    // Prepared statements outlive a failed transaction: read back which this connection holds.
    await resync(client, kept, err);
    throw err;
  }
}

/** runInTransaction is how runBucket ran before one round trip: BEGIN with the settings, the (named unless replan) statement, COMMIT. */
async function runInTransaction(client: pg.PoolClient, q: BucketQuery, replan: boolean): Promise<unknown[]> {
  const settings = q.probes === undefined ? [] : [settingsSql(q.probes), ...(replan ? [] : ['SET LOCAL plan_cache_mode = force_generic_plan'])];
  // Named apart from the one-round-trip path's prepared statements, which share the connection.
  const statement = replan ? { text: q.sql, values: q.params } : { name: `${q.name}_t`, text: q.sql, values: q.params };
  if (settings.length === 0) return (await client.query<Record<string, unknown>>(statement)).rows;
  await client.query(`BEGIN; ${settings.join('; ')}`);
  try {
    const out = await client.query<Record<string, unknown>>(statement);
    await client.query('COMMIT');
    return out.rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
