import { describe, expect, it } from 'vitest';
import type { FailedAttempt } from '@scia/api';
import { BACKOFF_SECONDS, FAIL_AFTER_SECONDS, MAX_ATTEMPTS, redecision, watchOutcome, withEvidence, type ObservedResource } from '../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const HASH = 'b'.repeat(64);

/** xr is an observed XR whose pinned vm decision has been Ready False since T0, at attempt `attempt`. */
function xr(opts: { attempt?: number; failures?: FailedAttempt[]; annotations?: Record<string, string>; outcome?: unknown } = {}): Record<string, unknown> {
  return {
    metadata: { name: 'api', annotations: opts.annotations ?? {} },
    status: {
      phase: 'Provisioning',
      conditions: [{ type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: at(0) }],
      deployment: {
        strategy: 'vm', reason: 'r', confidence: 0.5, decidedBy: 'rules', inputHash: HASH, config: { instanceType: 't3.small' },
        ...(opts.attempt === undefined ? {} : { attempt: opts.attempt }),
        ...(opts.failures === undefined ? {} : { evidence: { cases: '', failures: opts.failures } }),
      },
      ...(opts.outcome === undefined ? {} : { outcome: opts.outcome }),
    },
  };
}

const asg: ObservedResource = {
  name: 'asg',
  kind: 'AutoscalingGroup',
  status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: at(0) }, { type: 'LastAsyncOperation', status: 'False', reason: 'AsyncCreateFailure', message: 'have 0 healthy instances; OOMKilled' }] },
};

/** step is one reconcile: the record step judges at `seconds`, and its status.outcome is observed next. */
function step(x: Record<string, unknown>, seconds: number): Record<string, unknown> {
  const watched = watchOutcome({ xr: x, resources: [asg], now: new Date(T0 + seconds * 1000), failAfterSeconds: FAIL_AFTER_SECONDS });
  return { ...x, status: { ...(x['status'] as object), outcome: watched?.status } };
}

describe('self-correction', () => {
  it('settles, then fails with evidence, waits out the backoff, and decides again exactly once per attempt', () => {
    const young = step(xr(), FAIL_AFTER_SECONDS - 1);
    const failed = step(young, FAIL_AFTER_SECONDS);
    const waited = step(failed, FAIL_AFTER_SECONDS + (BACKOFF_SECONDS[0] ?? 0));
    const again = redecision(waited['status']);
    const { outcome: seen, ...rest } = again.kind === 'redecide' ? again : { outcome: undefined };
    expect({
      young: redecision(young['status']).kind,
      failed: redecision(failed['status']).kind,
      outcome: (failed['status'] as Record<string, unknown>)['outcome'],
      again: rest,
      redecide: seen?.redecide,
    }).toEqual({
      young: 'keep',
      failed: 'wait',
      outcome: { inputHash: HASH, outcome: 'failed', causes: ['out-of-memory'], summary: 'not ready: asg (AsyncCreateFailure)', thumbsDown: false, failedAt: at(FAIL_AFTER_SECONDS), redecide: false, gaveUp: false },
      again: {
        kind: 'redecide',
        attempt: 2,
        failures: [{ inputHash: HASH, strategy: 'vm', config: { instanceType: 't3.small' }, causes: ['out-of-memory'], summary: 'not ready: asg (AsyncCreateFailure)' }],
      },
      redecide: true,
    });
  });

  it('gives a re-decision its own time: the old Ready False does not fail it', () => {
    const earlier: FailedAttempt = { inputHash: 'a'.repeat(64), strategy: 'vm', config: {}, causes: [], summary: 'x' };
    const fresh = step(xr({ attempt: 2, failures: [earlier] }), 10 * FAIL_AFTER_SECONDS);
    const later = step(fresh, 11 * FAIL_AFTER_SECONDS);
    expect([redecision(fresh['status']).kind, redecision(later['status']).kind]).toEqual(['keep', 'wait']);
  });

  it(`gives up after ${MAX_ATTEMPTS} decisions, with every failure`, () => {
    const two: FailedAttempt[] = ['1', '2'].map((n) => ({ inputHash: n.repeat(64), strategy: 'serverless', config: {}, causes: ['cold-start'], summary: 'thumbed down by the team' }));
    const last = step(xr({ attempt: MAX_ATTEMPTS, failures: two }), 0);
    const done = step(last, 5 * FAIL_AFTER_SECONDS);
    const r = redecision(done['status']);
    expect({ kind: r.kind, failures: r.kind === 'gave-up' ? r.failures.length : 0 }).toEqual({ kind: 'gave-up', failures: MAX_ATTEMPTS });
  });

  it('counts a thumbs-down once: the comment an earlier decision answered says nothing of the next', () => {
    const annotations = { 'scia.io/feedback': '-1', 'scia.io/feedback-comment': 'cold starts are too slow' };
    const answered: FailedAttempt = { inputHash: 'a'.repeat(64), strategy: 'serverless', config: {}, causes: ['cold-start'], summary: 's', feedbackComment: 'cold starts are too slow' };
    const ready = { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at(0) };
    const running = (x: Record<string, unknown>): Record<string, unknown> => ({ ...x, status: { ...(x['status'] as object), conditions: [ready] } });
    const first = step(running(xr({ annotations })), 0);
    const next = step(running(xr({ annotations, attempt: 2, failures: [answered] })), 0);
    expect({ first: redecision(first['status']).kind, next: redecision(next['status']).kind }).toEqual({ first: 'wait', next: 'keep' });
  });

  it('puts the failures in the input hash: new evidence, new hash; none, the claim\'s', () => {
    const f: FailedAttempt = { inputHash: HASH, strategy: 'vm', config: {}, causes: ['out-of-memory'], summary: 's' };
    expect({
      none: withEvidence('c'.repeat(64), { cases: '', failures: [] }),
      same: withEvidence('c'.repeat(64), { cases: '', failures: [f] }) === withEvidence('c'.repeat(64), { cases: '', failures: [{ ...f }] }),
      differs: withEvidence('c'.repeat(64), { cases: '', failures: [f] }) !== withEvidence('c'.repeat(64), { cases: 'd', failures: [f] }),
    }).toEqual({ none: 'c'.repeat(64), same: true, differs: true });
  });
});

describe('what a steady reconcile reads', () => {
  /** watched is `status` recording which of its fields are read. */
  const watched = (status: object, reads: string[]): object => new Proxy(status, { get: (t, k, r) => { reads.push(String(k)); return Reflect.get(t, k, r) as unknown; } });
  const success = { inputHash: HASH, outcome: 'success', causes: [], thumbsDown: false, redecide: false, gaveUp: false };
  const failed = { ...success, outcome: 'failed', failedAt: at(0) };
  it.each([
    { reason: 'an outcome without a failure keeps the decision without reading it', outcome: success, want: { kind: 'keep', deployment: false } },
    { reason: 'no outcome keeps it without reading it', outcome: undefined, want: { kind: 'keep', deployment: false } },
    { reason: 'a failure reads it', outcome: failed, want: { kind: 'wait', deployment: true } },
  ])('$reason', ({ outcome, want }) => {
    const reads: string[] = [];
    const kind = redecision(watched(xr({ outcome })['status'] as object, reads)).kind;
    expect({ kind, deployment: reads.includes('deployment') }).toEqual(want);
  });

  it('watchOutcome judges the decision it is given, without reading it again', () => {
    const reads: string[] = [];
    const x = xr();
    const status = x['status'] as Record<string, unknown>;
    const given = status['deployment'] as object;
    const decision = { ...given, inputHash: 'c'.repeat(64) } as NonNullable<Parameters<typeof watchOutcome>[0]['decision']>;
    const out = watchOutcome({ xr: { ...x, status: { ...status, deployment: watched(given, reads) } }, resources: [asg], now: new Date(T0), failAfterSeconds: FAIL_AFTER_SECONDS, decision });
    // Judging reads the deployment's decidedAt alone; reading the decision would read its strategy too.
    expect({ inputHash: out?.status.inputHash, reads }).toEqual({ inputHash: 'c'.repeat(64), reads: ['decidedAt'] });
  });
});

describe('what judging a re-decision reads', () => {
  it('reads the status fields it judges by, not every field earlier steps pinned', () => {
    const reads: string[] = [];
    const earlier: FailedAttempt = { inputHash: 'a'.repeat(64), strategy: 'vm', config: {}, causes: [], summary: 'x' };
    const x = xr({ attempt: 2, failures: [earlier] });
    const status = { ...(x['status'] as object), analysis: { commit: 'abc' }, cost: { estimatedMonthly: 24.5 }, history: [] };
    const watchedStatus = new Proxy(status, { get: (t, k, r) => { reads.push(String(k)); return Reflect.get(t, k, r) as unknown; } });
    const out = watchOutcome({ xr: { ...x, status: watchedStatus }, resources: [asg], now: new Date(T0), failAfterSeconds: FAIL_AFTER_SECONDS });
    expect({ since: out?.status.since, pinned: ['analysis', 'cost', 'history'].filter((k) => reads.includes(k)) }).toEqual({ since: at(0), pinned: [] });
  });
});
