import { describe, expect, it } from 'vitest';
import { applyChange, distinct, filterRows, grandTotal, NO_FILTERS, sortRows, totals, useLevel, type Filters, type RowChange } from '../src/model/overview.js';
import { row } from './fixtures.js';

const ROWS = [
  row({ namespace: 'team-b', name: 'web', phase: 'Provisioning', strategy: 'vm', monthlyCost: 120, budget: 100 }),
  row({ namespace: 'team-a', name: 'worker', phase: 'Failed', strategy: 'serverless', monthlyCost: 5 }),
  row({ namespace: 'team-a', name: 'api', phase: 'Running', strategy: 'kubernetes', monthlyCost: 150, budget: 200 }),
  row({ namespace: 'team-a', name: 'new', phase: 'Analyzing', strategy: null, monthlyCost: null, budget: 50 }),
];

describe('filterRows', () => {
  const cases: Record<string, { filters: Filters; want: string[] }> = {
    'no filter keeps every row in order': { filters: NO_FILTERS, want: ['team-b/web', 'team-a/worker', 'team-a/api', 'team-a/new'] },
    'by namespace': { filters: { ...NO_FILTERS, namespace: 'team-a' }, want: ['team-a/worker', 'team-a/api', 'team-a/new'] },
    'by phase': { filters: { ...NO_FILTERS, phase: 'Failed' }, want: ['team-a/worker'] },
    'by strategy': { filters: { ...NO_FILTERS, strategy: 'vm' }, want: ['team-b/web'] },
    'every filter at once': { filters: { namespace: 'team-a', phase: 'Running', strategy: 'kubernetes' }, want: ['team-a/api'] },
    'filters that match nothing': { filters: { namespace: 'team-b', phase: 'Running', strategy: '' }, want: [] },
  };
  it.each(Object.entries(cases))('%s', (_reason, { filters, want }) => {
    expect(filterRows(ROWS, filters).map((r) => r.id)).toEqual(want);
  });
});

describe('sortRows and distinct', () => {
  it('orders by namespace, then name, without changing its input', () => {
    expect(sortRows(ROWS).map((r) => r.id)).toEqual(['team-a/api', 'team-a/new', 'team-a/worker', 'team-b/web']);
    expect(ROWS[0]?.id).toBe('team-b/web');
  });
  it('offers each value once, sorted, leaving out unknown ones', () => {
    expect(distinct(ROWS, 'namespace')).toEqual(['team-a', 'team-b']);
    expect(distinct(ROWS, 'strategy')).toEqual(['kubernetes', 'serverless', 'vm']);
    expect(distinct(ROWS, 'phase')).toEqual(['Analyzing', 'Failed', 'Provisioning', 'Running']);
  });
});

describe('totals', () => {
  it('sums cost per namespace and compares only budgeted deployments with their budgets', () => {
    expect(totals(ROWS, 'namespace')).toEqual([
      // worker has no budget: its $5 counts in the total, not in the budget use. new has a budget and no cost yet.
      { key: 'team-a', count: 3, monthly: 155, budget: 250, budgetedCost: 150, use: 0.6 },
      { key: 'team-b', count: 1, monthly: 120, budget: 100, budgetedCost: 120, use: 1.2 },
    ]);
  });
  it('groups undecided deployments apart and gives no use where no budget is set', () => {
    expect(totals(ROWS, 'strategy')).toEqual([
      { key: 'kubernetes', count: 1, monthly: 150, budget: 200, budgetedCost: 150, use: 0.75 },
      { key: 'serverless', count: 1, monthly: 5, budget: 0, budgetedCost: 0, use: null },
      { key: 'undecided', count: 1, monthly: 0, budget: 50, budgetedCost: 0, use: 0 },
      { key: 'vm', count: 1, monthly: 120, budget: 100, budgetedCost: 120, use: 1.2 },
    ]);
  });
  it('adds groups into one line', () => {
    expect(grandTotal(totals(ROWS, 'namespace'))).toEqual({ key: 'all', count: 4, monthly: 275, budget: 350, budgetedCost: 270, use: 270 / 350 });
    expect(grandTotal([])).toEqual({ key: 'all', count: 0, monthly: 0, budget: 0, budgetedCost: 0, use: null });
  });
  it('classes budget use against the alert threshold', () => {
    expect([0.5, 0.8, 0.95, 1, 1.01].map((u) => useLevel(u))).toEqual(['ok', 'warn', 'warn', 'warn', 'over']);
    expect(useLevel(0.6, 0.5)).toBe('warn');
  });
});

describe('applyChange', () => {
  const cases: Record<string, { change: RowChange; want: Array<[string, string | null]> }> = {
    'a changed row is replaced where it stands': {
      change: { type: 'upsert', row: row({ namespace: 'team-a', name: 'worker', phase: 'Running' }) },
      want: [['team-b/web', 'Provisioning'], ['team-a/worker', 'Running'], ['team-a/api', 'Running'], ['team-a/new', 'Analyzing']],
    },
    'a new row is appended': {
      change: { type: 'upsert', row: row({ namespace: 'team-a', name: 'cron', phase: 'Pending' }) },
      want: [['team-b/web', 'Provisioning'], ['team-a/worker', 'Failed'], ['team-a/api', 'Running'], ['team-a/new', 'Analyzing'], ['team-a/cron', 'Pending']],
    },
    'a deleted row goes': {
      change: { type: 'delete', id: 'team-a/api' },
      want: [['team-b/web', 'Provisioning'], ['team-a/worker', 'Failed'], ['team-a/new', 'Analyzing']],
    },
    'deleting an unknown row changes nothing': {
      change: { type: 'delete', id: 'team-c/x' },
      want: [['team-b/web', 'Provisioning'], ['team-a/worker', 'Failed'], ['team-a/api', 'Running'], ['team-a/new', 'Analyzing']],
    },
  };
  it.each(Object.entries(cases))('%s', (_reason, { change, want }) => {
    expect(applyChange(ROWS, change).map((r) => [r.id, r.phase])).toEqual(want);
    expect(ROWS).toHaveLength(4);
  });
});
