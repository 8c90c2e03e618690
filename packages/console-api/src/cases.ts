import { z } from 'zod';
import { DeploymentConfig, DeploymentSpec, Outcome, Strategy, type SimilarCase } from '@scia/api';
import { withClient, type StoreHandle } from '@scia/rag';
import { caseQuery } from './preview.js';
import type { View } from './view.js';

/** CaseView is a past deployment as the API shows it; similarity and score only when found by a search. */
export type CaseView = Omit<SimilarCase, 'similarity' | 'score' | 'scoreParts'> & { similarity: number | null; score: number | null };

/**
 * Cases reads past deployments from the store, always in one tenant's scope:
 * the Deployment's namespace's own cases and the shared ones. Callers reach a
 * Deployment only after RBAC let the user read it, so another namespace's
 * private cases never appear.
 */
export class Cases {
  constructor(private readonly store: StoreHandle) {}

  /** similar runs the retrieve step's search for a Deployment. */
  async similar(v: View, k: number): Promise<CaseView[]> {
    const spec = DeploymentSpec.safeParse(v.spec);
    if (!spec.success) return [];
    const opened = await this.store.get();
    if (!opened.ok) throw new Error(`cannot open the deployments store: ${opened.error}`);
    const found = await opened.value.store.search(caseQuery(spec.data, v.status.analysis, v.namespace, k));
    if (!found.ok) throw new Error(`cannot search the deployments store: ${found.error}`);
    return found.value.cases.map(({ scoreParts: _p, ...c }) => c);
  }

  /** byIds reads cases by id (as a decision cites them), in `tenant`'s scope, in the order given. */
  async byIds(ids: readonly string[], tenant: string): Promise<CaseView[]> {
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (numeric.length === 0) return [];
    const opened = await this.store.get();
    if (!opened.ok) throw new Error(`cannot open the deployments store: ${opened.error}`);
    const rows = await withClient(opened.value.store.db, (c) => c.query(
      `SELECT id, name, namespace, shared, framework, language, strategy, config, outcome, failure_reason,
        cost_monthly, user_feedback, feedback_comment
       FROM deployments WHERE id = ANY($1::bigint[]) AND (namespace = $2 OR shared)`, [numeric, tenant]));
    const byId = new Map<string, CaseView>();
    for (const raw of rows.rows) {
      const row = CaseRow.safeParse(raw);
      if (row.success) byId.set(row.data.id, caseOf(row.data));
    }
    return numeric.flatMap((id) => byId.get(id) ?? []);
  }
}

/** CaseRow is a row of the deployments table as this file reads it: validated, never trusted. */
const CaseRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
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
});
type CaseRow = z.infer<typeof CaseRow>;

function caseOf(row: CaseRow): CaseView {
  return {
    id: row.id, name: row.name, framework: row.framework, language: row.language, strategy: row.strategy,
    config: row.config, outcome: row.outcome,
    ...(row.failure_reason === null ? {} : { failureReason: row.failure_reason }),
    ...(row.cost_monthly === null ? {} : { costMonthly: row.cost_monthly }),
    feedback: row.user_feedback,
    ...(row.feedback_comment === null ? {} : { feedbackComment: row.feedback_comment }),
    shared: row.shared, similarity: null, score: null,
  };
}
