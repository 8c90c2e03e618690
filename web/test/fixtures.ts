import type { DeploymentRow } from '../src/model/types.js';

/** row builds an overview row; fields not given take plain defaults. */
export function row(over: Partial<DeploymentRow> & { namespace: string; name: string }): DeploymentRow {
  return {
    id: `${over.namespace}/${over.name}`,
    phase: 'Running',
    strategy: 'kubernetes',
    monthlyCost: null,
    budget: null,
    endpoint: null,
    createdAt: '2026-11-26T10:00:00Z',
    ...over,
  };
}
