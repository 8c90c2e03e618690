import type pg from 'pg';
import { canonicalJson } from '@scia/api';
import type { DeploymentRecord } from './records.js';
import { intentOf } from './summary.js';
import { vectorBinary } from './vector.js';

/** PreparedRow is a record with its summary embedded, ready to write. */
export interface PreparedRow {
  record: DeploymentRecord;
  summary: string;
  embedding: readonly number[];
  embedder: string;
  at: Date;
}

/** INSERT_COLUMNS are the columns a write sets, in the order of rowValues. */
export const INSERT_COLUMNS = [
  'xr_uid', 'decision_hash', 'name', 'namespace', 'shared', 'framework', 'language', 'strategy', 'config',
  'summary', 'embedding', 'embedder', 'metadata', 'outcome', 'failure_reason', 'cost_monthly',
  'performance_metrics', 'user_feedback', 'feedback_comment', 'causes', 'intent', 'evidence', 'created_at', 'updated_at',
] as const;

// On conflict, every column but the key and created_at takes the new value, and
// only when something changed: recording the same outcome again writes nothing.
const UPDATED = INSERT_COLUMNS.filter((c) => c !== 'xr_uid' && c !== 'decision_hash' && c !== 'created_at' && c !== 'updated_at');
const COMPARED = UPDATED.filter((c) => c !== 'embedding' && c !== 'summary');
const ON_CONFLICT = `ON CONFLICT ON CONSTRAINT deployments_decision DO UPDATE SET
  ${[...UPDATED, 'updated_at'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
  WHERE (${COMPARED.map((c) => `deployments.${c}`).join(', ')}) IS DISTINCT FROM (${COMPARED.map((c) => `EXCLUDED.${c}`).join(', ')})`;

/** rowValues are a prepared row's column values, in INSERT_COLUMNS order (JSON columns as text, the vector in binary). */
export function rowValues(row: PreparedRow): unknown[] {
  const r = row.record;
  const intent = intentOf(r.app);
  const metadata = r.shared ? anonymised(r) : { ...r.metadata, app: r.app };
  return [
    r.xrUid, r.decisionHash, r.name, r.namespace, r.shared, r.app.framework, r.app.language, r.strategy, JSON.stringify(r.config),
    row.summary, vectorBinary(row.embedding), row.embedder, JSON.stringify(metadata), r.outcome, r.failureReason ?? null,
    r.costMonthly ?? null, JSON.stringify(r.performanceMetrics), r.feedback, r.feedbackComment ?? null,
    [...r.causes].sort(), intent, JSON.stringify(r.evidence ?? {}),
    new Date(r.recordedAt ?? row.at), row.at,
  ];
}

/**
 * anonymised is a shared row's metadata: the app's traits and intent tags,
 * never its prompt, repository URL or commit.
 */
function anonymised(r: DeploymentRecord): Record<string, unknown> {
  const { url: _url, commit: _commit, prompt: _prompt, ...rest } = r.metadata;
  const { prompt: _text, ...app } = r.app;
  return { ...rest, app: { ...app, intent: intentOf(r.app) } };
}

function placeholders(rowIndex: number): string {
  const base = rowIndex * INSERT_COLUMNS.length;
  const cells = INSERT_COLUMNS.map((c, i) => (c === 'embedding' ? `$${base + i + 1}::vector` : `$${base + i + 1}`));
  return `(${cells.join(', ')})`;
}

/** BATCH_ROWS rows go in one INSERT: 24 parameters each, far below the protocol's 65535. */
export const BATCH_ROWS = 250;

/**
 * writeRows upserts rows in batches of multi-row INSERTs with vectors as binary
 * parameters, and returns how many rows were inserted or changed.
 */
export async function writeRows(client: pg.PoolClient, rows: readonly PreparedRow[], opts: { upsert: boolean }): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const sql = `INSERT INTO deployments (${INSERT_COLUMNS.join(', ')}) VALUES ${batch.map((_, i) => placeholders(i)).join(', ')}
      ${opts.upsert ? ON_CONFLICT : ''} RETURNING id`;
    const result = await client.query(sql, batch.flatMap(rowValues));
    written += result.rowCount ?? 0;
  }
  return written;
}

/** StoredOutcome is what decides whether a record changes its row. */
export interface StoredOutcome {
  id: string;
  outcome: string;
  failureReason: string | null;
  costMonthly: number | null;
  feedback: number;
  feedbackComment: string | null;
  causes: string[];
  evidence: string;
  embedder: string;
}

/** readOutcome reads the row of (xrUid, decisionHash), if there is one. */
export async function readOutcome(client: pg.PoolClient, xrUid: string, decisionHash: string): Promise<StoredOutcome | undefined> {
  const { rows } = await client.query<{
    id: string; outcome: string; failure_reason: string | null; cost_monthly: number | null;
    user_feedback: number; feedback_comment: string | null; embedder: string; causes: string[]; evidence: unknown;
  }>(
    `SELECT id, outcome, failure_reason, cost_monthly, user_feedback, feedback_comment, embedder, causes, evidence
     FROM deployments WHERE xr_uid = $1 AND decision_hash = $2`,
    [xrUid, decisionHash],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    id: String(r.id), outcome: r.outcome, failureReason: r.failure_reason, costMonthly: r.cost_monthly,
    feedback: Number(r.user_feedback), feedbackComment: r.feedback_comment, embedder: r.embedder,
    causes: [...r.causes].sort(), evidence: canonicalJson(r.evidence ?? {}),
  };
}

/** sameOutcome tells whether writing `r` with `embedder` would leave `stored` as it is. */
export function sameOutcome(stored: StoredOutcome, r: DeploymentRecord, embedder: string): boolean {
  return (
    stored.embedder === embedder &&
    stored.outcome === r.outcome &&
    stored.failureReason === (r.failureReason ?? null) &&
    stored.costMonthly === (r.costMonthly ?? null) &&
    stored.feedback === r.feedback &&
    stored.feedbackComment === (r.feedbackComment ?? null) &&
    JSON.stringify(stored.causes) === JSON.stringify([...r.causes].sort()) &&
    stored.evidence === canonicalJson(r.evidence ?? {})
  );
}
