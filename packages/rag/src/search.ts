import { createHash } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { Cause, DeploymentConfig, Outcome, Strategy, formatIssues, type SimilarCase } from '@scia/api';
import { withClient, type Database } from './db.js';
import { runBucket, type BucketQuery } from './bucket-run.js';
import { BucketStats, planSearch, type PartPlan, type PlanMode, type ProbeRule } from './plan.js';
import type { Candidate, Ranked } from './rank.js';
import type { CaseFilters } from './records.js';
import { vectorBinary, vectorText } from './vector.js';

const { escapeLiteral } = pg;

/** SearchMode: `auto` plans each bucket from statistics (see plan.ts); `exact` and `index` force one plan (benchmarks, `scia rag query --exact`). */
export type SearchMode = PlanMode;

export interface SearchOptions {
  mode: SearchMode;
  limit: number;
  /** probes, when set, replaces the planned ivfflat.probes. */
  probes?: number;
  /** stats are the store's statistics; without them they are read for this search. */
  stats?: BucketStats;
  /** probeRule, when set, replaces HALF_ROOT_PROBES (benchmarks compare the rules). */
  probeRule?: ProbeRule;
  /** replan plans every statement anew instead of reusing the connection's cached plan of it (benchmarks compare the two). */
  replan?: boolean;
  /** transaction runs each IVF bucket in BEGIN, its settings, the statement, COMMIT: three round trips, as before one (benchmarks compare). */
  transaction?: boolean;
  /** plansPerConnection bounds the bucket statements each connection keeps prepared (default PLANS_PER_CONNECTION). */
  plansPerConnection?: number;
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
 * appended to `params` (which starts with the query vector). `scoped` false
 * leaves the tenant scope out, for a caller that searches each bucket apart.
 */
export function whereClause(embedder: string, tenant: string, filters: CaseFilters, params: unknown[], scoped = true): string {
  const bind = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`embedder = ${bind(embedder)}`, ...(scoped ? [`(namespace = ${bind(tenant)} OR shared)`] : [])];
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
 * among those the filters keep, searching the tenant's own rows and the
 * other teams' shared rows apart, each with the plan planSearch chose, each
 * in a statement of its own on a connection of its own, at once (a bucket
 * searched by its IVF index setting pgvector's probes and iterative scan for
 * its statement only, in one round trip: see runBucket). Rows come back sorted by distance.
 */
export async function searchRows(
  db: Database,
  vector: readonly number[],
  scope: { embedder: string; tenant: string; filters: CaseFilters },
  opts: SearchOptions,
): Promise<RawSearch & { plans: PartPlan[] }> {
  const stats = opts.stats ?? new BucketStats(db);
  const plans = planSearch(await stats.current(), scope, opts.mode, opts.limit, opts.probeRule);
  const parts = await Promise.all(bucketQueries(vector, scope, plans, opts).map((q) => withClient(db, (client) => runBucket(client, q, opts))));
  const read = readRows(parts.flat());
  return { rows: read.rows.slice(0, opts.limit), skipped: read.skipped, plans };
}

/**
 * searchWide is the search as it was before the narrow table: the filter on
 * the wide rows, every kept row's full vector compared, sorted. Exact, and
 * the baseline benchmarks compare the planned search with.
 */
export async function searchWide(db: Database, vector: readonly number[], scope: { embedder: string; tenant: string; filters: CaseFilters }, limit: number): Promise<RawSearch> {
  const params: unknown[] = [vectorBinary(vector)];
  const where = whereClause(scope.embedder, scope.tenant, scope.filters, params);
  params.push(limit);
  const sql = `SELECT ${COLUMNS}, embedding <=> $1::vector AS distance FROM deployments WHERE ${where} ORDER BY embedding <=> $1::vector, id LIMIT $${params.length}`;
  return readRows((await withClient(db, (c) => c.query(sql, params))).rows);
}

/**
 * bucketQueries are the statements of a planned search, one per bucket: its
 * nearest `limit` rows by the bucket's plan, joined to their wide rows. An
 * exact bucket is fenced (OFFSET 0) so the distance sort cannot be turned
 * into an index scan. The bucket is named by literals (the tenant, and the
 * framework of a sub-bucket's index), so a generic plan keeps its partial
 * index; the filter's other values are bound parameters.
 */
export function bucketQueries(
  vector: readonly number[],
  scope: { embedder: string; tenant: string; filters: CaseFilters },
  plans: readonly PartPlan[],
  opts: Pick<SearchOptions, 'limit' | 'probes'>,
): BucketQuery[] {
  const columns = COLUMNS.split(',').map((c) => `d.${c.trim()}`).join(', ');
  return plans.map((p) => {
    // The query as a halfvec parameter, parsed once at bind: a cast from vector would run for every row an exact plan reads in a generic plan.
    const params: unknown[] = [vectorText(vector)];
    const where = whereClause(scope.embedder, scope.tenant, scope.filters, params, false);
    const tenant = escapeLiteral(scope.tenant);
    // A literal: a generic plan costs a LIMIT parameter as 10% of the rows, and would not be chosen.
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new Error(`cannot search for ${opts.limit} rows: want a whole number of at least 1`);
    const limit = String(opts.limit);
    const q = '$1::halfvec';
    // The bucket's partial index (of the framework's sub-bucket, when planned) must be implied by literals, not parameters, for a plan cached across searches to use it.
    const sub = p.plan === 'ivf' && p.framework !== undefined ? ` AND framework = ${escapeLiteral(p.framework)}` : '';
    const bucket = `${p.part === 'own' ? `namespace = ${tenant}` : `shared AND namespace <> ${tenant}`}${sub}`;
    const nearest = p.plan === 'exact'
      ? `SELECT id, distance FROM (SELECT id, embedding <=> ${q} AS distance FROM deployment_vectors WHERE ${bucket} AND ${where} OFFSET 0) s ORDER BY distance LIMIT ${limit}`
      : `SELECT id, embedding <=> ${q} AS distance FROM deployment_vectors WHERE ${bucket} AND ${where} ORDER BY embedding <=> ${q} LIMIT ${limit}`;
    // Fenced (OFFSET 0): only the nearest `limit` are joined to their wide rows.
    const sql = `SELECT ${columns}, p.distance FROM (${nearest} OFFSET 0) p JOIN deployments d ON d.id = p.id`;
    return { part: p.part, sql, params, probes: p.plan === 'ivf' ? (opts.probes ?? p.probes) : undefined, name: `scia_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}` };
  });
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
