import { describe, expect, it } from 'vitest';
import { phaseOf, phaseSteps, sortHistory, toneOf, type StepState } from '../src/model/timeline.js';
import type { HistoryEntry, Phase } from '../src/model/types.js';

const h = (at: string, event: string): HistoryEntry => ({ at, event, message: '' });

describe('phaseSteps', () => {
  const cases: Record<string, { phase: Phase | null; history?: HistoryEntry[]; want: StepState[] }> = {
    'no phase yet: every step to do': { phase: null, want: ['todo', 'todo', 'todo', 'todo', 'todo'] },
    'pending is the current first step': { phase: 'Pending', want: ['current', 'todo', 'todo', 'todo', 'todo'] },
    'deciding': { phase: 'Deciding', want: ['done', 'done', 'current', 'todo', 'todo'] },
    'running is done, not under way': { phase: 'Running', want: ['done', 'done', 'done', 'done', 'done'] },
    'failed while provisioning, read from the history': {
      phase: 'Failed',
      history: [h('2026-11-26T10:02:00Z', 'Provisioning'), h('2026-11-26T10:00:00Z', 'Analyzing'), h('2026-11-26T10:05:00Z', 'Failed')],
      want: ['done', 'done', 'done', 'failed', 'todo'],
    },
    'failed with no history fails at the start': { phase: 'Failed', want: ['failed', 'todo', 'todo', 'todo', 'todo'] },
  };
  it.each(Object.entries(cases))('%s', (_reason, { phase, history, want }) => {
    const steps = phaseSteps(phase, history);
    expect(steps.map((s) => s.phase)).toEqual(['Pending', 'Analyzing', 'Deciding', 'Provisioning', 'Running']);
    expect(steps.map((s) => s.state)).toEqual(want);
  });
});

describe('history', () => {
  it('sorts oldest first and keeps entries without a readable time at the end, in their order', () => {
    const sorted = sortHistory([h('b', 'x1'), h('2026-11-26T10:05:00Z', 'late'), h('2026-11-26T10:00:00Z', 'early'), h('a', 'x2')]);
    expect(sorted.map((e) => e.event)).toEqual(['early', 'late', 'x1', 'x2']);
  });
  it('reads a phase from an event name', () => {
    expect([phaseOf('Running'), phaseOf('phase provisioning'), phaseOf('Redecided')]).toEqual(['Running', 'Provisioning', null]);
  });
  it('marks failures and successes', () => {
    expect([toneOf('DecisionFailed'), toneOf('BudgetExceeded'), toneOf('Running'), toneOf('Decided'), toneOf('Analyzing'), toneOf('Synced', 'Warning')]).toEqual([
      'bad',
      'bad',
      'good',
      'good',
      'neutral',
      'bad',
    ]);
  });
});
