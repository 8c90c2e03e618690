import { Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFunction, SeenWrites, type RecordDeps, type Recorder } from '@scia/function-record';
import { hashingEmbedder, lazyStore, openDatabase, openStore, storeFromEnv, type Database, type Store } from '@scia/rag';
import { freePort } from '../../../test/support/ports.js';
import { analysis, outcome, request, xr } from '../../../test/support/xr-request.js';
import { matching } from '../../../test/support/matchers.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const clock = { now: () => NOW };
const ago = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const decision = { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'h1', config: { instanceType: 't3.small' } };
const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: ago(5) }] };
const stuck = { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating', message: 'Unready resources: instance', lastTransitionTime: ago(20) }] };

let db: Database;
let store: Store;
let calls: string[] = [];
const counted: Recorder = {
  record: (input) => { calls.push('record'); return store.record(input); },
  setFeedback: (key, fb, c) => { calls.push('feedback'); return store.setFeedback(key, fb, c); },
};
const deps = (over: Partial<RecordDeps> = {}): RecordDeps => ({ recorder: counted, clock, budgetMs: 5000, failAfterSeconds: 900, seen: new SeenWrites(), ...over });
const rows = async (): Promise<unknown[]> =>
  (await db.pool.query<Record<string, unknown>>('SELECT xr_uid, decision_hash, name, namespace, framework, strategy, outcome, failure_reason, cost_monthly, user_feedback, feedback_comment FROM deployments ORDER BY id')).rows;
const observed = (status: Record<string, unknown>, annotations?: Record<string, string>) =>
  request(xr({ uid: 'uid-1', status: { deployment: decision, analysis: analysis(), cost: { estimatedMonthly: 17.5 }, ...status }, ...(annotations === undefined ? {} : { annotations }) }));
const row = (over: Record<string, unknown> = {}) => ({
  xr_uid: 'uid-1', decision_hash: 'h1', name: 'flask-api', namespace: 'team-a', framework: 'flask', strategy: 'vm', outcome: 'success',
  failure_reason: null, cost_monthly: 17.5, user_feedback: 0, feedback_comment: null, ...over,
});

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
});
afterAll(() => store.close());
beforeEach(async () => {
  calls = [];
  await db.pool.query('TRUNCATE deployments CASCADE');
});

describe('record', () => {
  it('records a Ready deployment once, however often it reconciles', async () => {
    const d = deps();
    const responses: Record<string, unknown>[] = [];
    for (let i = 0; i < 100; i++) responses.push(outcome(await runFunction(observed(ready), d), []));
    expect({ rows: await rows(), calls, same: responses.every((r) => JSON.stringify(r) === JSON.stringify(responses[0])), first: responses[0] })
      .toEqual({ rows: [row()], calls: ['record'], same: true, first: { ttl: 60, results: [], context: {} } });
  });

  it('answers a repeat reconcile from its memory: no store call, and neither the spec nor the analysis read', async () => {
    const d = deps();
    // Each request's XR and its status record which fields the step reads.
    const watched = (reads: string[]): ReturnType<typeof observed> => {
      const req = observed(ready);
      const composite = req.observed?.composite;
      if (composite?.resource === undefined) throw new Error('no observed XR');
      const watch = <T extends object>(o: T, prefix: string): T => new Proxy(o, { get: (t, k, r) => { reads.push(`${prefix}${String(k)}`); return Reflect.get(t, k, r); } });
      composite.resource = watch({ ...composite.resource, status: watch(composite.resource['status'] as object, 'status.') }, '');
      return req;
    };
    const decoded = (reads: string[]): string[] => ['spec', 'status.analysis'].filter((k) => reads.includes(k));
    const first: string[] = [];
    const again: string[] = [];
    const answers = [outcome(await runFunction(watched(first), d), []), outcome(await runFunction(watched(again), d), [])];
    expect({ calls, first: decoded(first), again: decoded(again), same: JSON.stringify(answers[0]) === JSON.stringify(answers[1]) })
      .toEqual({ calls: ['record'], first: ['spec', 'status.analysis'], again: [], same: true });
  });

  it.each([
    { reason: 'a Ready deployment is judged without reading its composed resources', status: ready, want: { reads: [], summary: undefined } },
    { reason: 'a failed one reads them for its evidence', status: stuck, want: { reads: ['vpc', 'instance'], summary: 'not ready: instance (Creating)' } },
  ])('$reason', async ({ status, want }) => {
    const reads: string[] = [];
    // Each composed resource records when the step reads it.
    const composed = (name: string, conditions: unknown[]) => ({
      get resource() { reads.push(name); return { apiVersion: 'ec2.aws.upbound.io/v1beta1', kind: 'Instance', metadata: { name }, status: { conditions } }; },
      connectionDetails: {}, ready: 0,
    });
    const req = observed(status);
    if (req.observed === undefined) throw new Error('no observed state');
    req.observed.resources = { vpc: composed('vpc', ready.conditions), instance: composed('instance', stuck.conditions) };
    const rsp = await runFunction(req, deps());
    const summary = ((rsp.desired?.composite?.resource?.['status'] as Record<string, unknown> | undefined)?.['outcome'] as Record<string, unknown> | undefined)?.['summary'];
    expect({ reads: [...new Set(reads)], summary }).toEqual(want);
  });

  it("writes nothing into another team's memory for a namespaced XR labelled as that team's claim", async () => {
    const spoofed = request(xr({ uid: 'uid-1', namespace: 'team-b', claimNamespace: 'team-a', status: { deployment: decision, analysis: analysis(), ...ready } }));
    const rsp = await runFunction(spoofed, deps());
    expect({ rows: await rows(), calls, reasons: rsp.results.map((r) => [r.severity === Severity.SEVERITY_WARNING, r.reason]) }).toEqual({
      rows: [],
      calls: [],
      reasons: [[true, 'TenantMismatch']],
    });
  });

  it('keeps one row across restarts (a fresh process memory)', async () => {
    for (let i = 0; i < 5; i++) await runFunction(observed(ready), deps());
    expect({ rows: await rows(), calls }).toEqual({ rows: [row()], calls: ['record', 'record', 'record', 'record', 'record'] });
  });

  const cases = {
    'settling': { reason: 'not ready for 5 minutes: nothing yet', status: { conditions: [{ ...stuck.conditions[0], lastTransitionTime: ago(5) }] }, want: [] },
    'failed': {
      reason: 'not ready past the threshold: a failure with the reason',
      status: stuck,
      want: [row({ outcome: 'failed', failure_reason: 'Ready False (Creating): Unready resources: instance' })],
    },
    'no decision': { reason: 'without a pinned decision there is nothing to record', status: { ...ready, deployment: undefined }, want: [] },
  };
  it.each(Object.entries(cases))('%s', async (_, { status, want }) => {
    const rsp = await runFunction(observed(status), deps());
    expect({ rows: await rows(), results: rsp.results }).toEqual({ rows: want, results: [] });
  });

  it('applies feedback once per change and lets the outcome keep it', async () => {
    const d = deps();
    await runFunction(observed(ready), d);
    for (let i = 0; i < 3; i++) await runFunction(observed(ready, { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'cheap' }), d);
    const liked = await rows();
    await runFunction(observed(ready, { 'scia.io/feedback': '-1', 'scia.io/feedback-comment': 'slow' }), d);
    expect({ liked, disliked: await rows(), calls }).toEqual({
      liked: [row({ user_feedback: 1, feedback_comment: 'cheap' })],
      disliked: [row({ user_feedback: -1, feedback_comment: 'slow' })],
      calls: ['record', 'record', 'record'],
    });
  });

  it('updates feedback on a row recorded earlier while the XR is settling again', async () => {
    await runFunction(observed(ready), deps());
    const rsp = await runFunction(observed({ conditions: [] }, { 'scia.io/feedback': '+1' }), deps());
    expect({ rows: await rows(), calls, results: rsp.results }).toEqual({ rows: [row({ user_feedback: 1 })], calls: ['record', 'feedback'], results: [] });
  });

  it('warns about an invalid feedback annotation, naming it, and records the outcome', async () => {
    const rsp = await runFunction(observed(ready, { 'scia.io/feedback': 'love it' }), deps());
    expect({ rows: await rows(), results: outcome(rsp, [])['results'] }).toEqual({
      rows: [row()],
      results: [{ severity: Severity.SEVERITY_WARNING, reason: 'InvalidFeedback', message: 'cannot read annotation scia.io/feedback: want "+1" or "-1" (or "0" to clear), got "love it"' }],
    });
  });

  it('warns, and tries again next time, when the store refuses connections', async () => {
    const env = { SCIA_DATABASE_URL: `postgres://scia@127.0.0.1:${await freePort()}/scia`, SCIA_CALL_BUDGET_MS: '500' };
    const handle = lazyStore(() => storeFromEnv(env), 0);
    const recorder: Recorder = {
      record: async (i) => { const s = await handle.get(); return s.ok ? s.value.store.record(i) : s; },
      setFeedback: async (k, f, c) => { const s = await handle.get(); return s.ok ? s.value.store.setFeedback(k, f, c) : s; },
    };
    const d = deps({ recorder });
    const results = [(await runFunction(observed(ready), d)).results, (await runFunction(observed(ready), d)).results];
    expect(results.map((r) => r.map((x) => [x.severity, x.reason, x.message?.replace(/:\d+/, ':PORT')]))).toEqual([
      [[Severity.SEVERITY_WARNING, 'RecordDegraded', matching(/^cannot record the outcome of flask-api: cannot migrate the deployments store at postgres:\/\/\*\*\*@127\.0\.0\.1:PORT\/scia: .*ECONNREFUSED/)]],
      [[Severity.SEVERITY_WARNING, 'RecordDegraded', matching(/ECONNREFUSED/)]],
    ]);
  });
});
