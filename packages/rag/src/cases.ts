import type { z } from 'zod';
import { withClient, type Database } from './db.js';
import { StoredCase, caseId } from './search.js';

/**
 * CitedRow is a stored case read back by id, its lists forgiven: a row whose
 * causes or intent tags cannot be read still shows, without them.
 */
export const CitedRow = StoredCase.extend({ causes: StoredCase.shape.causes.catch([]), intent: StoredCase.shape.intent.catch([]) });
export type CitedRow = z.infer<typeof CitedRow>;

/** CitedCase is a case found by an id a decision cited: the id asked for, the case's stable id, and its row. */
export interface CitedCase {
  asked: string;
  id: string;
  row: CitedRow;
}

/**
 * casesByIds reads cases by the ids decisions cite them by, in `tenant`'s
 * scope (its own rows and the shared ones): stable ids (`namespace/name@<hash
 * prefix>`, `shared/<digest>@<prefix>`, see caseId) or, from older decisions,
 * row ids. It returns those found in the order asked; an id that names no
 * case in scope, or a row that cannot be read, is left out.
 */
export async function casesByIds(db: Database, ids: readonly string[], tenant: string): Promise<CitedCase[]> {
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
  const prefixes = ids.flatMap((id) => /@([0-9a-f]{1,64})$/.exec(id)?.[1]?.slice(0, 12) ?? []);
  if (numeric.length === 0 && prefixes.length === 0) return [];
  const { rows } = await withClient(db, (c) => c.query(
    `SELECT id, decision_hash, name, namespace, shared, framework, language, strategy, config, outcome, failure_reason,
       cost_monthly, user_feedback, feedback_comment, causes, intent
     FROM deployments WHERE (id = ANY($1::bigint[]) OR left(decision_hash, 12) = ANY($3::text[])) AND (namespace = $2 OR shared)`,
    [numeric, tenant, prefixes]));
  const byId = new Map<string, { id: string; row: CitedRow }>();
  for (const raw of rows) {
    const row = CitedRow.safeParse(raw);
    if (!row.success) continue;
    // A hash prefix alone may match another row: a stable id must match whole.
    const found = { id: caseId(row.data, tenant), row: row.data };
    byId.set(row.data.id, found);
    byId.set(found.id, found);
  }
  return ids.flatMap((asked) => {
    const found = byId.get(asked);
    return found === undefined ? [] : [{ asked, ...found }];
  });
}
