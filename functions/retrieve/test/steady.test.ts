import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { ContextKey, DeploymentSpec } from '@scia/api';
import { MODEL_NONE, decisionInputHash, withEvidence } from '@scia/decider';
import { runFunction, type Retriever } from '@scia/function-retrieve';
import { hashingEmbedder, openDatabase, openStore, type Store } from '@scia/rag';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { fixedClock, record } from '../../../test/support/rag-fixtures.js';
import { analysis, request, xr } from '../../../test/support/xr-request.js';

let store: Store;
let searches = 0;
const retriever: Retriever = {
  search: (q) => {
    searches++;
    return store.search(q);
  },
};

beforeAll(async () => {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock: fixedClock });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
  await store.record(record({ xrUid: 'a', name: 'flask-on-vm', namespace: 'team-a' }));
});
afterAll(async () => {
  await store.close();
});

const SPEC = { budget: { maxMonthlyCost: 200, alertThreshold: 0.8 }, policies: ['enable-monitoring', 'require-https'] };
const EVIDENCE = { cases: 'c'.repeat(64), failures: [] };

/** Parts is what a test changes in the steady request. */
interface Parts {
  spec: Record<string, unknown>;
  analysis: Record<string, unknown>;
  status: Record<string, unknown>;
  /** uid is the XR's (u-1 unless given). */
  uid?: string;
  /** namespace makes the XR namespaced; claimNamespace is its crossplane.io/claim-namespace label (team-a unless given). */
  namespace?: string;
  claimNamespace?: string;
}

/** steadyParts is a reconcile with the rules' decision pinned for exactly this claim, analysis and evidence, its outcome a success. */
function steadyParts(): Parts {
  const a = analysis();
  const claim = xr({ spec: SPEC })['spec'];
  const inputHash = withEvidence(decisionInputHash(DeploymentSpec.parse(claim) as DeploymentSpec, a.commit, MODEL_NONE), EVIDENCE);
  const deployment = { strategy: 'vm', reason: 'r', confidence: 0.8, decidedBy: 'rules', inputHash, evidence: EVIDENCE, config: { instanceType: 't3.small', minSize: 1 } };
  const outcome = { inputHash, causes: [], thumbsDown: false, redecide: false, gaveUp: false, outcome: 'success' };
  return { spec: SPEC, analysis: { ...a }, status: { deployment, outcome, phase: 'Running' } };
}

function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reordered((value as Record<string, unknown>)[k])]));
}

function bytesOf(p: Parts, reverse = false): Uint8Array {
  const req = request(xr({ uid: p.uid ?? 'u-1', ...(p.uid === undefined ? {} : { name: `web-${p.uid}` }), ...(p.namespace === undefined ? {} : { namespace: p.namespace }), ...(p.claimNamespace === undefined ? {} : { claimNamespace: p.claimNamespace }), spec: p.spec, status: p.status }), { [ContextKey.analysis]: p.analysis });
  const plain = RunFunctionRequest.toJSON(req) as Record<string, unknown>;
  return RunFunctionRequest.encode(RunFunctionRequest.fromJSON(reverse ? reordered(plain) : plain)).finish();
}

async function call(p: Parts, codec: 'sdk' | 'lazy', reverse = false): Promise<{ bytes: Uint8Array; req: RunFunctionRequest }> {
  const req = decodeRequest(bytesOf(p, reverse), codec);
  return { bytes: encodeResponse(await runFunction(req, { retriever, budgetMs: 10_000 })), req };
}

/** unread tells whether field `key` of a lazily decoded object is still behind its accessor: no one decoded it. */
function unread(obj: unknown, key: string): boolean {
  return typeof obj === 'object' && obj !== null && typeof Object.getOwnPropertyDescriptor(obj, key)?.get === 'function';
}

function canonical(bytes: Uint8Array): string {
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(RunFunctionResponse.toJSON(RunFunctionResponse.decode(bytes))));
}

describe('retrieve step, steady reconciles through the memos', () => {
  it('does no search for a pinned decision, answers the full path\'s bytes, and decodes neither claim, analysis nor status', async () => {
    const p = steadyParts();
    const before = searches;
    const want = await call(p, 'sdk');
    await call(p, 'lazy', true);
    for (let i = 0; i < 3; i++) {
      const got = await call(p, 'lazy');
      expect(Buffer.from(got.bytes).equals(Buffer.from(want.bytes)), `call ${i}`).toBe(true);
      const observed = got.req.observed?.composite?.resource as Record<string, unknown>;
      expect(unread(observed, 'spec')).toBe(true);
      expect(unread(observed, 'status')).toBe(true);
      expect(unread(got.req.context, ContextKey.analysis)).toBe(true);
    }
    expect(searches).toBe(before);
  });

  const changes: Array<{ reason: string; change: (p: Parts) => Parts }> = [
    { reason: 'the prompt changed', change: (p) => ({ ...p, spec: { ...p.spec, prompt: 'a batch job' } }) },
    { reason: 'the budget changed', change: (p) => ({ ...p, spec: { ...p.spec, budget: { maxMonthlyCost: 100, alertThreshold: 0.8 } } }) },
    { reason: 'the policies changed', change: (p) => ({ ...p, spec: { ...p.spec, policies: ['enable-monitoring'] } }) },
    { reason: 'the analysed commit changed', change: (p) => ({ ...p, analysis: { ...p.analysis, commit: 'f'.repeat(40) } }) },
    { reason: 'the region changed', change: (p) => ({ ...p, spec: { ...p.spec, region: 'us-east-1' } }) },
    { reason: 'the pinned evidence changed', change: (p) => ({ ...p, status: { ...p.status, deployment: { ...(p.status['deployment'] as object), evidence: { cases: 'd'.repeat(64), failures: [] } } } }) },
    { reason: 'the pinned model changed', change: (p) => ({ ...p, status: { ...p.status, deployment: { ...(p.status['deployment'] as object), model: 'qwen2.5-coder:7b' } } }) },
    { reason: 'the deployment failed, its backoff passed', change: (p) => ({ ...p, status: { ...p.status, outcome: { ...(p.status['outcome'] as object), outcome: 'failed', redecide: true, failedAt: '2026-01-01T00:00:00.000Z' } } }) },
    { reason: 'the team gave a thumbs-down, its backoff passed', change: (p) => ({ ...p, status: { ...p.status, outcome: { ...(p.status['outcome'] as object), thumbsDown: true, redecide: true, failedAt: '2026-01-01T00:00:00.000Z' } } }) },
  ];
  it.each(changes)('searches, as the full path does, when $reason after steady calls', async ({ change }) => {
    const p = steadyParts();
    await call(p, 'lazy', true);
    await call(p, 'lazy');
    const changed = change(p);
    const before = searches;
    const want = await call(changed, 'sdk');
    expect(searches, 'the full path searches').toBe(before + 1);
    for (const reverse of [false, true]) {
      const got = await call(changed, 'lazy', reverse);
      expect(canonical(got.bytes)).toBe(canonical(want.bytes));
    }
    expect(searches, 'and so does the steady path, every time').toBe(before + 3);
  });

  it('answers two XRs reconciled in turn each as the full path does: the pinned one without a search, the other searching', async () => {
    const pinned = steadyParts();
    const other: Parts = { ...steadyParts(), uid: 'u-2', spec: { ...SPEC, prompt: 'a batch job' } };
    const want = [await call(pinned, 'sdk'), await call(other, 'sdk')];
    const before = searches;
    for (let i = 0; i < 6; i++) {
      const got = await call(i % 2 === 0 ? pinned : other, 'lazy', i % 3 === 0);
      expect(canonical(got.bytes), `call ${i}`).toBe(canonical((want[i % 2] as { bytes: Uint8Array }).bytes));
    }
    expect(searches - before, 'one search per call of the XR not pinned').toBe(3);
  });

  it.each([
    { reason: 'the XR became namespaced with a claim-namespace label naming another tenant (a Fatal)', change: (p: Parts): Parts => ({ ...p, namespace: 'team-b' }), fatal: true },
    { reason: 'the claim-namespace label changed (another tenant, still pinned)', change: (p: Parts): Parts => ({ ...p, claimNamespace: 'team-c' }), fatal: false },
  ])('answers as the full path when $reason, after steady calls', async ({ change, fatal }) => {
    const p = steadyParts();
    await call(p, 'lazy', true);
    await call(p, 'lazy');
    const changed = change(p);
    const want = await call(changed, 'sdk');
    for (const reverse of [false, true]) expect(canonical((await call(changed, 'lazy', reverse)).bytes)).toBe(canonical(want.bytes));
    const got = await call(changed, 'lazy');
    expect(Buffer.from(got.bytes).equals(Buffer.from(want.bytes))).toBe(true);
    expect(RunFunctionResponse.decode(got.bytes).results.some((r) => r.severity === Severity.SEVERITY_FATAL)).toBe(fatal);
  });
});
