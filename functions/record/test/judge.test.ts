import { describe, expect, it } from 'vitest';
import { judge, readFeedback } from '@scia/function-record';

const NOW = new Date('2026-06-01T12:00:00Z');
const cond = (type: string, status: string, minutesAgo: number, reason = 'Creating', message = '') => ({
  type, status, reason, message, lastTransitionTime: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
});

describe('judge', () => {
  const cases = {
    'ready': { reason: 'Ready True is a success', status: { conditions: [cond('Synced', 'True', 30), cond('Ready', 'True', 20, 'Available')] }, want: { outcome: 'success' } },
    'settling': { reason: 'Ready False for 10 minutes is still settling', status: { conditions: [cond('Ready', 'False', 10)] }, want: undefined },
    'stuck': {
      reason: 'Ready False past 15 minutes is a failure with its reason',
      status: { conditions: [cond('Ready', 'False', 16, 'Creating', 'Unready resources: instance')] },
      want: { outcome: 'failed', reason: 'Ready False (Creating): Unready resources: instance' },
    },
    'sync failure': {
      reason: 'Synced False past the threshold fails a deployment that never became ready',
      status: { conditions: [cond('Synced', 'False', 20, 'ReconcileError', 'cannot compose resources'), cond('Ready', 'Unknown', 20)] },
      want: { outcome: 'failed', reason: 'Synced False (ReconcileError): cannot compose resources' },
    },
    'degraded': {
      reason: 'Ready but no longer syncing is degraded',
      status: { conditions: [cond('Synced', 'False', 30, 'ReconcileError'), cond('Ready', 'True', 60, 'Available')] },
      want: { outcome: 'degraded', reason: 'Synced False (ReconcileError)' },
    },
    'phase failed': { reason: 'phase Failed is a failure with the status message', status: { phase: 'Failed', message: 'quota exceeded' }, want: { outcome: 'failed', reason: 'quota exceeded' } },
    'no time': { reason: 'a False condition without a transition time is never old enough', status: { conditions: [{ type: 'Ready', status: 'False' }] }, want: undefined },
    'garbage': { reason: 'conditions that are not objects are ignored', status: { conditions: ['Ready', 7, null] }, want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_, { status, want }) => {
    expect(judge(status, NOW, 900)).toEqual(want);
  });
});

describe('readFeedback', () => {
  const meta = (annotations: Record<string, unknown>) => ({ metadata: { annotations } });
  const cases = {
    'plus one': { reason: '+1 is 1', xr: meta({ 'scia.io/feedback': '+1', 'scia.io/feedback-comment': ' fast ' }), want: { value: 1, comment: 'fast', warnings: [] } },
    'minus one': { reason: '-1 is -1', xr: meta({ 'scia.io/feedback': '-1' }), want: { value: -1, comment: undefined, warnings: [] } },
    'cleared': { reason: '0 clears earlier feedback', xr: meta({ 'scia.io/feedback': '0' }), want: { value: 0, comment: undefined, warnings: [] } },
    'none': { reason: 'no annotations, no feedback', xr: {}, want: { value: undefined, comment: undefined, warnings: [] } },
    'invalid': {
      reason: 'anything but +1/-1/0 is a Warning naming the annotation',
      xr: meta({ 'scia.io/feedback': 'great!' }),
      want: { value: undefined, comment: undefined, warnings: ['cannot read annotation scia.io/feedback: want "+1" or "-1" (or "0" to clear), got "great!"'] },
    },
    'long comment': {
      reason: 'a comment over 2000 characters is cut, with a Warning',
      xr: meta({ 'scia.io/feedback-comment': 'x'.repeat(2500) }),
      want: { value: undefined, comment: 'x'.repeat(2000), warnings: ['annotation scia.io/feedback-comment is 2500 characters long; keeping the first 2000'] },
    },
  };
  it.each(Object.entries(cases))('%s', (_, { xr, want }) => {
    expect(readFeedback(xr)).toEqual(want);
  });
});
