import type pg from 'pg';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { Cause, DeploymentConfig, Outcome, Strategy, formatIssues, type SimilarCase } from '@scia/api';
import { withTransaction, type Database } from './db.js';
import type { Candidate, Ranked } from './rank.js';
import type { CaseFilters } from './records.js';
import { vectorBinary } from './vector.js';

/** SearchMode: `hnsw` walks the HNSW index with iterative scan; `exact` compares every row the filters keep. */
export type SearchMode = 'hnsw' | 'exact';

export interface SearchOptions {
  mode: SearchMode;
  /** efSearch is hnsw.ef_search: candidates the index keeps while walking (default 200). */
  efSearch?: number;
  /** iterativeScan (default true) lets a filtered HNSW walk go on until it finds `limit` rows. */
  iterativeScan?: boolean;
  /**
   * forceHnsw keeps the planner off sequential, bitmap and sorted scans, so the
   * HNSW index is walked even where a B-tree filter would be cheaper (benchmarks).
   */
  forceHnsw?: boolean;
  limit: number;
}

/** StoredCase is a deployments row read back from the database, whatever read it: validated, never trusted. */
export const StoredCase = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  decision_hash: z.string(),
  name: z.string(),
  namespace: z.string(),
  shared: z.boolean(),
  framework: z.string(),
  language: z.string(),
  strategy: Strategy,
  config: DeploymentConfig,
  outcome: Outcome,
  failure_reason: z.string().nullable(),
  cost_monthly: z.number().nullable(),
  user_feedback: z.number().int().min(-1).max(1),
  feedback_comment: z.string().nullable(),
  // Causes this SCIA does not know (a newer one wrote them) are left out.
  causes: z.array(z.string()).transform((xs) => xs.flatMap((x) => { const c = Cause.safeParse(x); return c.success ? [c.data] : []; })),
  intent: z.array(z.string()),
});
export type StoredCase = z.infer<typeof StoredCase>;

/** CaseRow is a row a search reads back: a StoredCase with its age and distance. */
export const CaseRow = StoredCase.extend({ created_at: z.date(), distance: z.number() });
export type CaseRow = z.infer<typeof CaseRow>;

const COLUMNS = `id, decision_hash, name, namespace, shared, framework, language, strategy, config, outcome, failure_reason,
  cost_monthly, user_feedback, feedback_comment, causes, intent, created_at`;

/**
 * whereClause builds the filter of a search; every value is a bound parameter
 * appended to `params` (which starts with the query vector).
 */
export function whereClause(embedder: string, tenant: string, filters: CaseFilters, params: unknown[]): string {
  const bind = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`embedder = ${bind(embedder)}`, `(namespace = ${bind(tenant)} OR shared)`];
  if (filters.framework !== undefined) where.push(`framework = ${bind(filters.framework)}`);
  if (filters.language !== undefined) where.push(`language = ${bind(filters.language)}`);
  if (filters.outcomes !== undefined) where.push(`outcome = ANY(${bind(filters.outcomes)}::text[])`);
  if (filters.nonNegativeFeedback) where.push('user_feedback >= 0');
  // A negative example teaches whatever it cost: a GPU app that crashed on a cheap type warns a cheaper request too.
  if (filters.maxCostMonthly !== undefined) where.push(`(cost_monthly IS NULL OR cost_monthly <= ${bind(filters.maxCostMonthly)} OR outcome <> 'success' OR user_feedback < 0)`);
  return where.join(' AND ');
}

/** RawSearch is what a search read: valid rows by distance, and why any row was skipped. */
export interface RawSearch {
  rows: CaseRow[];
  skipped: string[];
}

/**
 * searchRows returns up to `limit` rows nearest to `vector` by cosine distance
 * among those the filters keep. In hnsw mode it turns on pgvector's iterative
 * scan for this transaction only, so filtered queries still find `limit` rows,
 * and re-sorts by distance (relaxed order may return them slightly out of
 * order). Exact mode disables index scans, so the planner compares every row
 * the B-tree filters keep.
 */
export async function searchRows(
  db: Database,
  vector: readonly number[],
  scope: { embedder: string; tenant: string; filters: CaseFilters },
  opts: SearchOptions,
): Promise<RawSearch> {
  const { sql, params } = searchQuery(vector, scope, opts.limit);
  const result = await withTransaction(db, async (client) => {
    await applySettings(client, opts);
    return client.query(sql, params);
  });
  return readRows(result.rows);
}

/** searchQuery is the SQL of a search and its bound parameters. */
export function searchQuery(
  vector: readonly number[],
  scope: { embedder: string; tenant: string; filters: CaseFilters },
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [vectorBinary(vector)];
  const where = whereClause(scope.embedder, scope.tenant, scope.filters, params);
  params.push(limit);
  const sql = `SELECT ${COLUMNS}, embedding <=> $1::vector AS distance FROM deployments
    WHERE ${where} ORDER BY embedding <=> $1::vector LIMIT $${params.length}`;
  return { sql, params };
}

/** applySettings sets, for the current transaction only, how a search walks the vectors. */
export async function applySettings(client: pg.PoolClient, opts: SearchOptions): Promise<void> {
  if (opts.mode === 'exact') {
    await client.query("SELECT set_config('enable_indexscan', 'off', true)");
    return;
  }
  await client.query("SELECT set_config('hnsw.iterative_scan', $1, true), set_config('hnsw.ef_search', $2, true)", [
    opts.iterativeScan === false ? 'off' : 'relaxed_order',
    String(Math.max(opts.limit, Math.min(1000, opts.efSearch ?? 200))),
  ]);
  if (opts.forceHnsw === true) {
    await client.query("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)");
  }
}

function readRows(rows: readonly unknown[]): RawSearch {
  const out: CaseRow[] = [];
  const skipped: string[] = [];
  for (const raw of rows) {
    const parsed = CaseRow.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
    else skipped.push(`cannot read deployment row ${idOf(raw)}: ${formatIssues(parsed.error)}`);
  }
  out.sort((a, b) => a.distance - b.distance || Number(a.id) - Number(b.id));
  return { rows: out, skipped };
}

function idOf(raw: unknown): string {
  return typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : '?';
}

/**
 * caseId is a case's stable id: `namespace/name@<first 12 of its decision
 * hash>` for the tenant's own (`-/name@...` for the public knowledge),
 * `shared/<digest>@<prefix>` for another team's, whose names it does not reveal.
 */
export function caseId(row: Pick<CaseRow, 'namespace' | 'name' | 'decision_hash'>, tenant: string): string {
  const hash = row.decision_hash.slice(0, 12);
  if (!anonymous(row, tenant)) return `${row.namespace === '' ? '-' : row.namespace}/${row.name}@${hash}`;
  return `shared/${createHash('sha256').update(`${row.namespace}/${row.name}`).digest('hex').slice(0, 8)}@${hash}`;
}

/**
 * anonymous tells whether a row is another team's: shown to `tenant` without
 * its name or free text. Rows of no namespace (the public example knowledge,
 * imports) are nobody's and keep their names.
 */
export function anonymous(row: Pick<CaseRow, 'namespace'>, tenant: string): boolean {
  return row.namespace !== tenant && row.namespace !== '';
}

/**
 * toSimilarCase is the context form of a ranked row. Another team's shared
 * case is anonymised (see anonymous): no name, no free text (failure reason,
 * comment), only its framework and language, config, outcome, causes and
 * intent tags.
 */
export function toSimilarCase(r: Ranked<CaseRow & Candidate>, tenant: string, now: Date): SimilarCase {
  const row = r.candidate;
  const own = !anonymous(row, tenant);
  return {
    id: caseId(row, tenant),
    name: own ? row.name : 'shared case',
    framework: row.framework,
    language: row.language,
    strategy: row.strategy,
    config: row.config,
    outcome: row.outcome,
    ...(row.failure_reason === null || !own ? {} : { failureReason: row.failure_reason }),
    ...(row.cost_monthly === null ? {} : { costMonthly: row.cost_monthly }),
    feedback: row.user_feedback,
    ...(row.feedback_comment === null || !own ? {} : { feedbackComment: row.feedback_comment }),
    causes: row.causes,
    intent: [...row.intent].sort(),
    ageDays: Math.max(0, Math.round((now.getTime() - row.created_at.getTime()) / 8_640_000) / 10),
    similarity: r.similarity,
    score: r.score,
    scoreParts: r.scoreParts,
    shared: row.namespace !== tenant,
  };
}
