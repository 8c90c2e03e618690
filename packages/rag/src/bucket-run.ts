import type pg from 'pg';
import type { PartPlan } from './plan.js';

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

/**
 * runBucket runs one bucket's statement on its connection; an IVF bucket's
 * in a transaction that sets (SET LOCAL) its probes and settings. Unless
 * `replan`, the statement is named (a digest of its text) so the connection
 * keeps its plan: an IVF bucket's a generic plan from its first run
 * (`force_generic_plan`, set with the probes), an exact bucket's one once
 * PostgreSQL finds it no costlier than the custom plans of its first five
 * runs (no transaction, one round trip). The text names the bucket by
 * literals, so the generic plan keeps the bucket's partial index. Planning
 * checks every partial index's predicate: 1.1 ms a statement with the 231
 * indexes of the bench's 1M rows; reusing the plan, 0.07 ms.
 */
export async function runBucket(client: pg.PoolClient, q: BucketQuery, replan: boolean): Promise<unknown[]> {
  const settings = q.probes === undefined ? [] : [settingsSql(q.probes), ...(replan ? [] : ['SET LOCAL plan_cache_mode = force_generic_plan'])];
  const statement = replan ? { text: q.sql, values: q.params } : { name: q.name, text: q.sql, values: q.params };
  if (settings.length === 0) return (await client.query<Record<string, unknown>>(statement)).rows;
  // BEGIN and the settings in one round trip; SET LOCAL ends with the transaction.
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
