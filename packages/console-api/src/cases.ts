import type { z } from 'zod';
import { DeploymentSpec, type SimilarCase } from '@scia/api';
import { StoredCase, anonymous, caseId, withClient, type StoreHandle } from '@scia/rag';
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

  /**
   * byIds reads cases by id (as a decision cites them), in `tenant`'s scope, in
   * the order given: stable ids (`namespace/name@<hash prefix>`, or
   * `shared/<digest>@<prefix>` for another team's) or, from older decisions,
   * row ids. Each comes back under its stable id, as a search shows it, with
   * the similarity the decision recorded for it (`similarity`, by cited id).
   */
  async byIds(ids: readonly string[], tenant: string, similarity: ReadonlyMap<string, number> = new Map()): Promise<CaseView[]> {
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    const prefixes = ids.flatMap((id) => /@([0-9a-f]{1,64})$/.exec(id)?.[1] ?? []);
    if (numeric.length === 0 && prefixes.length === 0) return [];
    const opened = await this.store.get();
    if (!opened.ok) throw new Error(`cannot open the deployments store: ${opened.error}`);
    const rows = await withClient(opened.value.store.db, (c) => c.query(
      `SELECT id, decision_hash, name, namespace, shared, framework, language, strategy, config, outcome, failure_reason,
        cost_monthly, user_feedback, feedback_comment, causes, intent
       FROM deployments WHERE (id = ANY($1::bigint[]) OR left(decision_hash, 12) = ANY($3::text[])) AND (namespace = $2 OR shared)`,
      [numeric, tenant, prefixes.map((p) => p.slice(0, 12))]));
    const byId = new Map<string, CaseView>();
    for (const raw of rows.rows) {
      const row = CaseRow.safeParse(raw);
      if (!row.success) continue;
      const view = caseOf(row.data, tenant);
      byId.set(row.data.id, view);
      byId.set(view.id, view);
    }
    return ids.flatMap((id) => {
      const view = byId.get(id);
      if (view === undefined) return [];
      // A decision records how similar each case it cited was to the app; a bare lookup knows no similarity.
      const s = similarity.get(id);
      return [s === undefined ? view : { ...view, similarity: s }];
    });
  }
}

/**
 * CaseRow is the store's row schema, read here with its causes and intents
 * forgiven: a row whose lists cannot be read still shows, without them.
 */
const CaseRow = StoredCase.extend({ causes: StoredCase.shape.causes.catch([]), intent: StoredCase.shape.intent.catch([]) });
type CaseRow = z.infer<typeof CaseRow>;

/** caseOf is a row as the API shows it: another team's shared case anonymised, as retrieval shows it. */
function caseOf(row: CaseRow, tenant: string): CaseView {
  const own = !anonymous(row, tenant);
  return {
    id: caseId(row, tenant), name: own ? row.name : 'shared case', framework: row.framework, language: row.language, strategy: row.strategy,
    config: row.config, outcome: row.outcome,
    ...(row.failure_reason === null || !own ? {} : { failureReason: row.failure_reason }),
    ...(row.cost_monthly === null ? {} : { costMonthly: row.cost_monthly }),
    feedback: row.user_feedback,
    ...(row.feedback_comment === null || !own ? {} : { feedbackComment: row.feedback_comment }),
    causes: row.causes, intent: row.intent, ageDays: 0,
    shared: row.shared, similarity: null, score: null,
  };
}
