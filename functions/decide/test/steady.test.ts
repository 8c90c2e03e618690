import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RequiredName } from '@scia/api';
import type { ModelDecider } from '@scia/decider';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { runFunction, type DecideDeps } from '../src/index.js';
import { desiredStatusOf, rulesDeps } from './request.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scia-decide-steady-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NS = 'team-a';
const ANALYSIS = { url: 'https://example.com/acme/flask-api', commit: '9f1c2d3e', language: 'python', framework: 'flask', dependencyCount: 12, size: { files: 48, bytes: 210_000 }, confidence: 0.9, services: [{ kind: 'postgresql', evidence: [{ file: 'app.py' }] }] };
const SPEC = { repository: { url: 'https://example.com/acme/flask-api', ref: 'main' }, prompt: 'Python API, high availability', region: 'eu-west-3', cloudProvider: 'acme', policies: ['enable-monitoring', 'require-https'], budget: { maxMonthlyCost: 300, alertThreshold: 0.8 }, overrides: { minSize: 2 } };
const CLOUD_PROVIDER = { credentials: { source: 'Secret', secretRef: { name: 'aws' } }, defaultRegion: 'eu-west-3', costControl: { monthlyBudget: 1000, enforcementMode: 'soft' } };

/** Parts is what a test changes in the steady request. */
interface Parts {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
  analysis: Record<string, unknown>;
  cloudProvider: Record<string, unknown>;
  /** uid is the XR's (u-1 unless given); its name is web-<uid>. */
  uid?: string;
  /** similar is context scia.io/similar, the cases retrieve found, when given. */
  similar?: Record<string, unknown>;
}

/** reordered returns `value` with the keys of every object in it in reverse order, as another Go marshal may send them. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reordered((value as Record<string, unknown>)[k])]));
}

/** bytesOf is the request Crossplane sends for `p` (its CloudProvider and team answered), its map entries reversed when asked. */
function bytesOf(p: Parts, reverse = false): Uint8Array {
  const o = (v: unknown): Record<string, unknown> => (reverse ? reordered(v) : v) as Record<string, unknown>;
  const uid = p.uid ?? 'u-1';
  const xr = { apiVersion: 'scia.io/v1alpha1', kind: 'Deployment', metadata: { name: uid === 'u-1' ? 'web' : `web-${uid}`, namespace: NS, uid, creationTimestamp: '2026-01-01T00:00:00Z' }, spec: p.spec, ...(p.status === undefined ? {} : { status: p.status }) };
  return RunFunctionRequest.encode(RunFunctionRequest.fromPartial({
    meta: { tag: 't' },
    observed: { composite: { resource: o(xr) } },
    context: o({ 'scia.io/analysis': p.analysis, ...(p.similar === undefined ? {} : { 'scia.io/similar': p.similar }) }),
    requiredResources: {
      [RequiredName.cloudProvider]: { items: [{ resource: { apiVersion: 'scia.io/v1alpha1', kind: 'CloudProvider', metadata: { name: 'acme', namespace: NS }, spec: o(p.cloudProvider) } }] },
      [RequiredName.teamDeployments]: { items: [] },
    },
  })).finish();
}

/** full runs the step on the request decoded whole by the SDK's codec: nothing is lazily decoded, so no memo applies (the path every call took before). */
async function full(p: Parts, deps: DecideDeps): Promise<Uint8Array> {
  return encodeResponse(await runFunction(decodeRequest(bytesOf(p), 'sdk'), deps));
}

/** steady runs the step on the request decoded lazily, as a function serving it does. */
async function steady(p: Parts, deps: DecideDeps, reverse = false): Promise<{ rsp: RunFunctionResponse; bytes: Uint8Array; req: RunFunctionRequest }> {
  const req = decodeRequest(bytesOf(p, reverse), 'lazy');
  const rsp = await runFunction(req, deps);
  return { rsp, bytes: encodeResponse(rsp), req };
}

const outcomeOf = (inputHash: string, more: Record<string, unknown> = {}): Record<string, unknown> => ({ inputHash, causes: [], thumbsDown: false, redecide: false, gaveUp: false, since: '2026-01-01T00:00:00.000Z', outcome: 'success', ...more });

/** pinnedParts decides once and returns the request of the next reconcile: the decision pinned in status, its outcome a success. */
async function pinnedParts(): Promise<Parts> {
  const first: Parts = { spec: SPEC, analysis: ANALYSIS, cloudProvider: CLOUD_PROVIDER };
  const status = desiredStatusOf(RunFunctionResponse.decode(await full(first, rulesDeps(dir))));
  const deployment = status['deployment'] as { inputHash: string };
  return { ...first, status: { ...status, phase: 'Running', outcome: outcomeOf(deployment.inputHash) } };
}

/** canonical is a response's JSON with every object's keys sorted: equal for answers that differ only in map order. */
/** unread tells whether field `key` of a lazily decoded object is still behind its accessor: no one decoded it. */
function unread(obj: unknown, key: string): boolean {
  return typeof obj === 'object' && obj !== null && typeof Object.getOwnPropertyDescriptor(obj, key)?.get === 'function';
}

function canonical(bytes: Uint8Array): string {
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(RunFunctionResponse.toJSON(RunFunctionResponse.decode(bytes))));
}

describe('decide step, steady reconciles through the memos', () => {
  it('answers a pinned decision with the full path\'s bytes, without decoding the claim, the analysis or the status', async () => {
    const p = await pinnedParts();
    const want = await full(p, rulesDeps(dir));
    await steady(p, rulesDeps(dir), true);
    for (let i = 0; i < 3; i++) {
      const got = await steady(p, rulesDeps(dir));
      expect(Buffer.from(got.bytes).equals(Buffer.from(want)), `call ${i}`).toBe(true);
      const xr = got.req.observed?.composite?.resource as Record<string, unknown>;
      expect(unread(xr, 'spec'), 'spec undecoded').toBe(true);
      expect(unread(xr, 'status'), 'status undecoded').toBe(true);
      expect(unread(got.req.context, 'scia.io/analysis'), 'analysis undecoded').toBe(true);
    }
    // Another order of the same maps answers the same, up to the order of keys.
    expect(canonical((await steady(p, rulesDeps(dir), true)).bytes)).toBe(canonical(want));
  });

  const model = (name: string): ModelDecider => ({ model: name, propose: () => Promise.resolve({ ok: false, error: 'no model here' }) });
  const changes: Array<{ reason: string; change: (p: Parts) => Parts; deps?: () => DecideDeps; same?: true }> = [
    { reason: 'the prompt changed', change: (p) => ({ ...p, spec: { ...p.spec, prompt: 'Python API, cheap' } }) },
    { reason: 'the budget changed', change: (p) => ({ ...p, spec: { ...p.spec, budget: { maxMonthlyCost: 40, alertThreshold: 0.5 } } }) },
    { reason: 'a policy was added', change: (p) => ({ ...p, spec: { ...p.spec, policies: ['enable-monitoring', 'require-https', 'enable-backups'] } }) },
    { reason: 'an override changed (repriced, still pinned)', change: (p) => ({ ...p, spec: { ...p.spec, overrides: { minSize: 3 } } }) },
    { reason: 'the region changed', change: (p) => ({ ...p, spec: { ...p.spec, region: 'us-east-1' } }) },
    { reason: 'the analysed commit changed', change: (p) => ({ ...p, analysis: { ...p.analysis, commit: 'aaaa1111' } }) },
    { reason: 'the analysis is invalid (a Warning)', change: (p) => ({ ...p, analysis: { ...p.analysis, confidence: 'high' } }) },
    { reason: 'the model changed', change: (p) => p, deps: () => ({ ...rulesDeps(dir), modelFor: () => model('other:7b') }) },
    { reason: 'the team budget is passed', change: (p) => ({ ...p, cloudProvider: { ...p.cloudProvider, costControl: { monthlyBudget: 20, enforcementMode: 'soft' } } }) },
    { reason: 'the team budget is hard', change: (p) => ({ ...p, cloudProvider: { ...p.cloudProvider, costControl: { monthlyBudget: 20, enforcementMode: 'hard' } } }) },
    { reason: 'the deployment failed, its backoff passed', change: (p) => withOutcome(p, { outcome: 'failed', causes: ['out-of-memory'], summary: 'not ready: web', redecide: true, failedAt: '2026-01-01T00:01:00.000Z' }) },
    { reason: 'the deployment failed, within its backoff', change: (p) => withOutcome(p, { outcome: 'failed', causes: ['out-of-memory'], summary: 'not ready: web', failedAt: '2026-01-01T00:01:00.000Z' }) },
    { reason: 'the team gave a thumbs-down', change: (p) => withOutcome(p, { thumbsDown: true, causes: [], summary: 'thumbed down by the team', feedbackComment: 'too slow', redecide: true, failedAt: '2026-01-01T00:01:00.000Z' }) },
    { reason: 'every attempt failed', change: (p) => withOutcome(p, { outcome: 'failed', causes: [], summary: 'not ready: web', gaveUp: true, failedAt: '2026-01-01T00:01:00.000Z' }) },
    { reason: 'the pinned decision changed', change: (p) => withDeployment(p, { strategy: 'kubernetes' }) },
    { reason: 'the pinned decision was edited (its reason)', change: (p) => withDeployment(p, { reason: 'edited by hand' }) },
    { reason: 'the policies changed', change: (p) => ({ ...p, spec: { ...p.spec, policies: ['enable-monitoring'] } }) },
    { reason: 'the team budget changed, still within it', change: (p) => ({ ...p, cloudProvider: { ...p.cloudProvider, costControl: { monthlyBudget: 5000, enforcementMode: 'soft' } } }), same: true },
    { reason: 'the cases found changed as the deployment failed', change: (p) => withOutcome({ ...p, similar: similarOf('b') }, { outcome: 'failed', causes: ['out-of-memory'], summary: 'not ready: web', redecide: true, failedAt: '2026-01-01T00:01:00.000Z' }) },
    // Decided again for these inputs, the rules choose what was pinned: the same answer, made afresh.
    { reason: 'the pinned decision is for other inputs', change: (p) => withDeployment(p, { inputHash: 'f'.repeat(64) }), same: true },
  ];
  it.each(changes)('answers as the full path when $reason, after steady calls', async ({ change, deps, same }) => {
    const p = await pinnedParts();
    const before = await steady(p, rulesDeps(dir), true);
    await steady(p, rulesDeps(dir));
    const changed = change(p);
    const make = deps ?? ((): DecideDeps => rulesDeps(dir));
    const want = await full(changed, make());
    if (same !== true) expect(canonical(want), 'the change changes the answer').not.toBe(canonical(before.bytes));
    for (const reverse of [false, true, false]) {
      const got = await steady(changed, make(), reverse);
      expect(canonical(got.bytes)).toBe(canonical(want));
    }
    expect(Buffer.from((await steady(changed, make())).bytes).equals(Buffer.from(want))).toBe(true);
  });

  it('answers two XRs reconciled in turn each as the full path does, the memos shared', async () => {
    const one = await pinnedParts();
    const other = await pinnedParts();
    const two: Parts = { ...other, uid: 'u-2', spec: { ...other.spec, prompt: 'Python API, cheap' } };
    const twoPinned: Parts = { ...two, status: desiredStatusOf(RunFunctionResponse.decode(await full(two, rulesDeps(dir)))) };
    const settled: Parts = { ...twoPinned, status: { ...twoPinned.status, phase: 'Running', outcome: outcomeOf((twoPinned.status?.['deployment'] as { inputHash: string }).inputHash) } };
    const want = [await full(one, rulesDeps(dir)), await full(settled, rulesDeps(dir))];
    expect(canonical(want[0] as Uint8Array)).not.toBe(canonical(want[1] as Uint8Array));
    for (let i = 0; i < 6; i++) {
      const got = await steady(i % 2 === 0 ? one : settled, rulesDeps(dir), i % 3 === 0);
      expect(canonical(got.bytes), `call ${i}`).toBe(canonical(want[i % 2] as Uint8Array));
    }
  });
});

/** similarOf is a context scia.io/similar with one case, told apart by `id`. */
function similarOf(id: string): Record<string, unknown> {
  const scores = { similarity: 0.9, recency: 1, outcome: 1, negative: false, final: 0.9 };
  return { embedder: 'hashing', queryHash: 'q'.repeat(64), cases: [{ id, name: `case-${id}`, strategy: 'vm', outcome: 'success', language: 'python', framework: 'flask', scores }] };
}

function withOutcome(p: Parts, more: Record<string, unknown>): Parts {
  const status = p.status ?? {};
  const deployment = status['deployment'] as { inputHash: string };
  return { ...p, status: { ...status, outcome: outcomeOf(deployment.inputHash, more) } };
}

function withDeployment(p: Parts, more: Record<string, unknown>): Parts {
  const status = p.status ?? {};
  return { ...p, status: { ...status, deployment: { ...(status['deployment'] as Record<string, unknown>), ...more } } };
}
