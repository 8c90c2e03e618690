import { DeploymentSpec, type SimilarCase } from '@scia/api';
import { anonymous, caseId, casesByIds, type CitedRow, type StoreHandle } from '@scia/rag';
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
    if (!ids.some((id) => /^\d{1,18}$/.test(id) || /@[0-9a-f]{1,64}$/.test(id))) return [];
    const opened = await this.store.get();
    if (!opened.ok) throw new Error(`cannot open the deployments store: ${opened.error}`);
    const found = await casesByIds(opened.value.store.db, ids, tenant);
    return found.map(({ asked, row }) => {
      const view = caseOf(row, tenant);
      // A decision records how similar each case it cited was to the app; a bare lookup knows no similarity.
      const s = similarity.get(asked);
      return s === undefined ? view : { ...view, similarity: s };
    });
  }
}

/** caseOf is a row as the API shows it: another team's shared case anonymised, as retrieval shows it. */
function caseOf(row: CitedRow, tenant: string): CaseView {
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
