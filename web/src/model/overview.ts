import type { DeploymentRow } from './types.js';

/** Filters narrow the overview; an empty string means "any". */
export interface Filters {
  namespace: string;
  phase: string;
  strategy: string;
}

export const NO_FILTERS: Filters = { namespace: '', phase: '', strategy: '' };

/** filterRows keeps the rows that match every set filter, in their given order. */
export function filterRows(rows: readonly DeploymentRow[], f: Filters): DeploymentRow[] {
  return rows.filter(
    (r) =>
      (f.namespace === '' || r.namespace === f.namespace) &&
      (f.phase === '' || r.phase === f.phase) &&
      (f.strategy === '' || r.strategy === f.strategy),
  );
}

/** sortRows orders rows by namespace, then name: the order `kubectl get -A` uses. */
export function sortRows(rows: readonly DeploymentRow[]): DeploymentRow[] {
  return [...rows].sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** distinct lists the values a key takes across rows, sorted, without nulls: the filter's options. */
export function distinct(rows: readonly DeploymentRow[], key: 'namespace' | 'phase' | 'strategy'): string[] {
  const seen = new Set<string>();
  for (const r of rows) {
    const v = r[key];
    if (v !== null && v !== '') seen.add(v);
  }
  return [...seen].sort(compare);
}

/** Total is the sum over one group of deployments. */
export interface Total {
  key: string;
  count: number;
  /** Estimated monthly cost of the group's deployments whose cost is known. */
  monthly: number;
  /** Sum of the budgets of the group's deployments that set one. */
  budget: number;
  /** Estimated cost of those same budgeted deployments. */
  budgetedCost: number;
  /** budgetedCost / budget, or null when no deployment of the group sets a budget. */
  use: number | null;
}

/**
 * totals groups rows by namespace or strategy (rows with no strategy yet group
 * under "undecided") and sums their cost and budget. Budget use compares only
 * deployments that set a budget, so an unbudgeted one never inflates it.
 */
export function totals(rows: readonly DeploymentRow[], by: 'namespace' | 'strategy'): Total[] {
  const groups = new Map<string, Total>();
  for (const r of rows) {
    const key = r[by] ?? 'undecided';
    const t = groups.get(key) ?? { key, count: 0, monthly: 0, budget: 0, budgetedCost: 0, use: null };
    t.count += 1;
    t.monthly += r.monthlyCost ?? 0;
    if (r.budget !== null) {
      t.budget += r.budget;
      t.budgetedCost += r.monthlyCost ?? 0;
    }
    groups.set(key, t);
  }
  return [...groups.values()]
    .map((t) => ({ ...t, use: t.budget > 0 ? t.budgetedCost / t.budget : null }))
    .sort((a, b) => compare(a.key, b.key));
}

/** grandTotal sums totals into one line. */
export function grandTotal(groups: readonly Total[]): Total {
  const t = groups.reduce(
    (acc, g) => ({
      ...acc,
      count: acc.count + g.count,
      monthly: acc.monthly + g.monthly,
      budget: acc.budget + g.budget,
      budgetedCost: acc.budgetedCost + g.budgetedCost,
    }),
    { key: 'all', count: 0, monthly: 0, budget: 0, budgetedCost: 0, use: null } as Total,
  );
  return { ...t, use: t.budget > 0 ? t.budgetedCost / t.budget : null };
}

/** UseLevel says how a budget use reads: under the alert line, near the budget, or over it. */
export type UseLevel = 'ok' | 'warn' | 'over';

/** useLevel classes a budget use against an alert threshold (0.8 by default, as claims default). */
export function useLevel(use: number, alertThreshold = 0.8): UseLevel {
  if (use > 1) return 'over';
  return use >= alertThreshold ? 'warn' : 'ok';
}

/** RowChange is what the subscription reports: a row added or changed, or one deleted. */
export type RowChange = { type: 'upsert'; row: DeploymentRow } | { type: 'delete'; id: string };

/** applyChange returns rows with one change applied: replaced in place, appended, or removed. */
export function applyChange(rows: readonly DeploymentRow[], change: RowChange): DeploymentRow[] {
  if (change.type === 'delete') return rows.filter((r) => r.id !== change.id);
  const i = rows.findIndex((r) => r.id === change.row.id);
  if (i < 0) return [...rows, change.row];
  const next = [...rows];
  next[i] = change.row;
  return next;
}
