import { describe, expect, it } from 'vitest';
import { citedCases, toChange, toDetail, toRow } from '../src/api/map.js';
import type { CaseNode, DetailNode, RowNode } from '../src/api/operations.js';

const NODE: RowNode = {
  id: 'team-a/api',
  namespace: 'team-a',
  name: 'api',
  createdAt: '2026-11-26T10:00:00Z',
  phase: 'Running',
  spec: { strategy: 'auto', budget: { maxMonthlyCost: 200 } },
  decision: { strategy: 'kubernetes' },
  cost: { estimatedMonthly: 150 },
  endpoints: [{ url: 'https://api.example.com' }, { url: 'http://lb.example.com' }],
};

const kase = (id: string, similarity: number | null): CaseNode => ({
  id,
  name: `app-${id}`,
  framework: 'flask',
  language: 'python',
  strategy: 'vm',
  outcome: 'success',
  failureReason: null,
  costMonthly: 80,
  feedback: 1,
  feedbackComment: 'cheap and fine',
  similarity,
  shared: false,
});

describe('toRow', () => {
  it('shows the decided strategy, the first endpoint, the cost and the budget', () => {
    expect(toRow(NODE)).toEqual({
      id: 'team-a/api',
      namespace: 'team-a',
      name: 'api',
      phase: 'Running',
      strategy: 'kubernetes',
      monthlyCost: 150,
      budget: 200,
      endpoint: 'https://api.example.com',
      createdAt: '2026-11-26T10:00:00Z',
    });
  });
  it('shows a requested strategy until one is decided, and nothing for auto', () => {
    const undecided = { ...NODE, decision: null, cost: null, endpoints: [], phase: null, spec: { strategy: 'vm', budget: null } };
    expect(toRow(undecided)).toMatchObject({ strategy: 'vm', monthlyCost: null, budget: null, endpoint: null, phase: null });
    expect(toRow({ ...undecided, spec: { strategy: 'auto', budget: null } }).strategy).toBeNull();
  });
  it('turns subscription events into changes', () => {
    expect(toChange({ type: 'DELETED', deployment: NODE })).toEqual({ type: 'delete', id: 'team-a/api' });
    expect(toChange({ type: 'MODIFIED', deployment: NODE })).toEqual({ type: 'upsert', row: toRow(NODE) });
  });
});

describe('citedCases', () => {
  it('keeps the decision’s order and fills similarity from the search where the case was read by id', () => {
    const got = citedCases([kase('b', null), kase('a', null), kase('c', 0.4)], ['a', 'b', 'c'], [kase('b', 0.91), kase('z', 0.5)]);
    expect(got.map((c) => [c.id, c.similarity])).toEqual([
      ['a', null],
      ['b', 0.91],
      ['c', 0.4],
    ]);
    expect(got[1]).toEqual({
      id: 'b',
      name: 'app-b',
      framework: 'flask',
      language: 'python',
      strategy: 'vm',
      similarity: 0.91,
      outcome: 'success',
      failureReason: null,
      feedback: 1,
      feedbackComment: 'cheap and fine',
      monthlyCost: 80,
      shared: false,
    });
  });
});

describe('toDetail', () => {
  it('maps everything the deployment view shows', () => {
    const node: DetailNode = {
      ...NODE,
      message: null,
      spec: { ...NODE.spec, repository: { url: 'https://git.example.com/a.git', ref: 'main' }, prompt: 'cheap', region: 'eu-west-3', policies: ['require-https'] },
      decision: {
        strategy: 'kubernetes',
        reason: 'needs HA',
        confidence: 0.8,
        decidedBy: 'rules',
        model: null,
        alternatives: [{ strategy: 'vm', reason: 'less HA', confidence: 0.5, estimatedMonthlyCost: 90 }],
        citedCaseIds: ['a'],
        citedCases: [kase('a', null)],
      },
      similarCases: [kase('a', 0.7)],
      cost: { estimatedMonthly: 150, breakdown: [{ item: 'eks', monthly: 73 }], budget: 200, budgetUse: 0.75 },
      endpoints: [{ name: 'https', url: 'https://api.example.com', type: 'load-balancer' }],
      history: [{ at: '2026-11-26T10:00:00Z', event: 'Decided', message: 'kubernetes' }],
      feedback: { value: -1, comment: 'too dear' },
      resources: [{ apiVersion: 'eks.aws.upbound.io/v1beta1', kind: 'Cluster', name: 'api-eks', ready: true, synced: true, message: null }],
      events: [{ type: 'Normal', reason: 'Decided', message: 'kubernetes', count: 2, lastSeen: '2026-11-26T10:01:00Z' }],
    };
    const d = toDetail(node);
    expect(d).toMatchObject({
      strategy: 'kubernetes',
      repository: 'https://git.example.com/a.git',
      ref: 'main',
      policies: ['require-https'],
      endpoints: ['https://api.example.com'],
      costBreakdown: [{ item: 'eks', monthly: 73 }],
      budgetUse: 0.75,
      feedback: { value: -1, comment: 'too dear' },
      events: [{ type: 'Normal', reason: 'Decided', message: 'kubernetes', count: 2, at: '2026-11-26T10:01:00Z' }],
    });
    expect(d.decision?.alternatives).toEqual([{ strategy: 'vm', reason: 'less HA', confidence: 0.5, monthlyCost: 90 }]);
    expect(d.decision?.cases.map((c) => c.similarity)).toEqual([0.7]);
    expect(toDetail({ ...node, decision: null, cost: null, feedback: null })).toMatchObject({ decision: null, costBreakdown: [], budgetUse: null, feedback: null });
  });
});
