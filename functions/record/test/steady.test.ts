import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { runFunction, SeenWrites, SteadyRecords, type RecordDeps, type Recorder } from '@scia/function-record';
import { hashingEmbedder, openDatabase, openStore, type Database, type Store } from '@scia/rag';
import { analysis, request, xr } from '../../../test/support/xr-request.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const ago = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const VM = { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'h1', config: { instanceType: 't3.small' }, decidedAt: ago(30) };
const READY = [{ type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: ago(5) }];

/** reversed is `v` with every object's keys in the reverse order, as Go may marshal them on another call. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
}

/** Call is one reconcile: the XR's status and annotations, and whether the store is down. */
interface Call {
  reason: string;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
  namespace?: string;
  claimNamespace?: string;
  spec?: Record<string, unknown>;
  shuffled?: boolean;
  storeDown?: boolean;
  /** other reconciles another XR first (its writes may push this one's out of the memory of writes). */
  other?: boolean;
  /** judged: whether the memo's side judged afresh (read the clock), as wanted. */
  judged: boolean;
}

const base = { deployment: VM, analysis: analysis(), cost: { estimatedMonthly: 17.5, currency: 'USD' }, phase: 'Ready', conditions: READY };
/** The outcome record answers for `base`, as the next reconcile observes it. */
const SETTLED = { inputHash: 'h1', causes: [], thumbsDown: false, redecide: false, gaveUp: false, outcome: 'success' };

/** Each call runs after those above it, in one process, with one memory of writes and one memo: each input changed after the memo is warm must be judged again. */
const calls: Call[] = [
  { reason: 'the first reconcile judges and writes', status: base, judged: true },
  { reason: 'its outcome observed: judged, kept', status: { ...base, outcome: SETTLED }, judged: true },
  { reason: 'the same again: answered from the memo', status: { ...base, outcome: SETTLED }, judged: false },
  { reason: 'its map entries in another order: answered from the memo', status: { ...base, outcome: SETTLED }, shuffled: true, judged: false },
  { reason: 'fields record does not read changed (history, analysis): answered from the memo', status: { ...base, outcome: SETTLED, history: [{ at: ago(1) }], analysis: analysis({ framework: 'django' }) }, judged: false },
  { reason: 'Ready False since a minute', status: { ...base, outcome: SETTLED, conditions: [{ ...READY[0], status: 'False', reason: 'Creating', lastTransitionTime: ago(1) }] }, judged: true },
  { reason: 'Ready False for an hour: a failure, written', status: { ...base, outcome: SETTLED, conditions: [{ ...READY[0], status: 'False', reason: 'Creating', message: 'instance not ready', lastTransitionTime: ago(60) }] }, judged: true },
  { reason: 'the same failure again: judged again (it reads the clock)', status: { ...base, outcome: SETTLED, conditions: [{ ...READY[0], status: 'False', reason: 'Creating', message: 'instance not ready', lastTransitionTime: ago(60) }] }, judged: true },
  { reason: 'Ready again: kept', status: { ...base, outcome: SETTLED }, judged: true },
  { reason: 'Ready but Synced False: judged (it reads the clock)', status: { ...base, outcome: SETTLED, conditions: [...READY, { type: 'Synced', status: 'False', reason: 'ReconcileError', lastTransitionTime: ago(2) }] }, judged: true },
  { reason: 'the same, judged again', status: { ...base, outcome: SETTLED, conditions: [...READY, { type: 'Synced', status: 'False', reason: 'ReconcileError', lastTransitionTime: ago(2) }] }, judged: true },
  { reason: 'a thumbs-down with a comment', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '-1', 'scia.io/feedback-comment': 'too slow' }, judged: true },
  { reason: 'another comment', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '-1', 'scia.io/feedback-comment': 'out of memory' }, judged: true },
  { reason: 'a thumbs-up', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '+1' }, judged: true },
  { reason: 'the thumbs-up again: answered from the memo', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '+1' }, judged: false },
  { reason: 'an annotation that is not feedback: a warning each call', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': 'great' }, judged: true },
  { reason: 'the same warning again, from the memo', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': 'great' }, judged: false },
  { reason: 'a thumbs-up with a comment', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'fast' }, judged: true },
  { reason: 'the same: from the memo', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'fast' }, judged: false },
  { reason: 'another comment: written', status: { ...base, outcome: SETTLED }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'faster' }, judged: true },
  { reason: 'another cost: written', status: { ...base, outcome: SETTLED, cost: { estimatedMonthly: 30 } }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'faster' }, judged: true },
  { reason: 'the phase changed', status: { ...base, outcome: SETTLED, phase: 'Deploying', cost: { estimatedMonthly: 30 } }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'faster' }, judged: true },
  { reason: 'the claim\'s spec changed (read only to write a row): from the memo', status: { ...base, outcome: SETTLED, phase: 'Deploying', cost: { estimatedMonthly: 30 } }, annotations: { 'scia.io/feedback': '+1', 'scia.io/feedback-comment': 'faster' }, spec: { prompt: 'cheaper' }, judged: false },
  { reason: 'a new decision: written', status: { ...base, deployment: { ...VM, inputHash: 'h2' }, outcome: SETTLED }, judged: true },
  { reason: 'a new decision observed with its outcome', status: { ...base, deployment: { ...VM, inputHash: 'h3' }, outcome: { ...SETTLED, inputHash: 'h3' } }, judged: true },
  { reason: 'the store down: a Warning and a retry, never kept', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, storeDown: true, judged: true },
  { reason: 'still down: tried again', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, storeDown: true, judged: true },
  { reason: 'the store back: written, kept', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, judged: true },
  { reason: 'then answered from the memo', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, judged: false },
  { reason: 'another XR pushes its write out of the memory of writes: judged and written again', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, other: true, judged: true },
  { reason: 'a namespaced XR of another tenant', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, namespace: 'team-b', judged: true },
  { reason: 'its tenant refused: a Warning, nothing judged', status: { ...base, deployment: { ...VM, inputHash: 'h4' }, outcome: SETTLED }, namespace: 'team-b', claimNamespace: 'team-a', judged: false },
  { reason: 'a decision the schema refuses: no outcome', status: { ...base, deployment: { ...VM, confidence: 2 }, outcome: SETTLED }, judged: false },
];

let db: Database;
let store: Store;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: { now: () => NOW } });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
});
afterAll(() => store.close());

/** Side is one record step: its deps, the writes it made and how often it read the clock. */
function side(steady: boolean, down: { now: boolean }): { deps: RecordDeps; writes: unknown[]; clockReads: () => number } {
  const writes: unknown[] = [];
  let reads = 0;
  const fail = (): Promise<{ ok: false; error: string }> => Promise.resolve({ ok: false, error: 'connection refused' });
  const recorder: Recorder = {
    record: (input) => { if (down.now) return fail(); writes.push(['record', input.decisionHash, input.outcome, input.feedback, input.feedbackComment, input.costMonthly]); return store.record(input); },
    setFeedback: (key, fb, c) => { if (down.now) return fail(); writes.push(['feedback', key.decisionHash, fb, c]); return store.setFeedback(key, fb, c); },
  };
  const clock = { now: () => { reads++; return NOW; } };
  const deps: RecordDeps = { recorder, clock, budgetMs: 5000, failAfterSeconds: 900, seen: new SeenWrites(2), ...(steady ? { steady: new SteadyRecords() } : {}) };
  return { deps, writes, clockReads: () => reads };
}

describe('a steady record call', () => {
  it('answers as the full path does, byte for byte, and judges again whenever an input it reads changed', async () => {
    const down = { now: false };
    const memo = side(true, down);
    const full = side(false, down);
    const got: unknown[] = [];
    const want: unknown[] = [];
    for (const c of calls) {
      down.now = c.storeDown === true;
      const observed = xr({ uid: 'uid-1', status: c.status ?? {}, ...(c.annotations === undefined ? {} : { annotations: c.annotations }), ...(c.spec === undefined ? {} : { spec: c.spec }), ...(c.namespace === undefined ? {} : { namespace: c.namespace, claimNamespace: c.claimNamespace ?? c.namespace }) });
      const bytes = RunFunctionRequest.encode(request(c.shuffled === true ? (reversed(observed) as Record<string, unknown>) : observed, {}, { phase: 'Ready' })).finish();
      if (c.other === true) {
        for (const s of [memo, full]) {
          for (const uid of ['uid-2', 'uid-3']) await runFunction(decodeRequest(RunFunctionRequest.encode(request(xr({ uid, status: base }))).finish(), 'lazy'), s.deps);
        }
      }
      const before = memo.clockReads();
      const a = encodeResponse(await runFunction(decodeRequest(bytes, 'lazy'), memo.deps));
      const b = encodeResponse(await runFunction(decodeRequest(bytes, 'sdk'), full.deps));
      got.push({ reason: c.reason, bytes: Buffer.from(a).toString('base64'), judged: memo.clockReads() > before, writes: memo.writes.length });
      want.push({ reason: c.reason, bytes: Buffer.from(b).toString('base64'), judged: c.judged, writes: full.writes.length });
    }
    expect(got).toEqual(want);
    expect(memo.writes).toEqual(full.writes);
  });
});
