import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest, encodeResponse } from '@scia/runtime';
import { runFunction, SeenWrites, type RecordDeps } from '@scia/function-record';
import { hashingEmbedder, openDatabase, openStore, type Database, type Store } from '@scia/rag';
import { analysis, request, xr } from '../../../test/support/xr-request.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const clock = { now: () => NOW };
const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-06-01T11:55:00.000Z' }] };
const VM = { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'h1', config: { instanceType: 't3.small' } };

/** reversed is `v` with every object's keys in the reverse order, as Go may marshal them on another call. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
}

let db: Database;
let store: Store;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  const opened = await openStore({ db, embedder: hashingEmbedder(), clock });
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value.store;
});
afterAll(() => store.close());

/** bytesFor encodes the request of a Ready XR whose status pins `deployment`. */
const bytesFor = (deployment: unknown, cost = 17.5): Uint8Array =>
  RunFunctionRequest.encode(request(xr({ uid: 'uid-1', status: { deployment, analysis: analysis(), cost: { estimatedMonthly: cost, currency: 'USD' }, ...ready } }))).finish();

/** Each call runs after the ones above it, in one process and with one memory of writes: a decision remembered from an earlier call must not answer for a changed one. */
const calls: Array<{ reason: string; deployment: unknown; cost?: number }> = [
  { reason: 'the first read of the decision', deployment: VM },
  { reason: 'the same decision, its map entries in another order', deployment: reversed(VM) },
  { reason: 'another decision (hash, strategy)', deployment: { ...VM, strategy: 'kubernetes', inputHash: 'h2' } },
  { reason: 'a nested config value changed, entries shuffled', deployment: reversed({ ...VM, inputHash: 'h3', config: { instanceType: 't3.large' } }) },
  { reason: 'back to the first decision', deployment: VM },
  { reason: 'the first decision at another cost: written again', deployment: VM, cost: 30 },
  { reason: 'a decision the schema refuses: nothing recorded', deployment: { ...VM, confidence: 2, inputHash: 'h4' } },
];

describe('the pinned decision, read on every steady call', () => {
  it('is recorded and judged from the decision each call holds, as when read by the SDK codec (which decodes every field)', async () => {
    const deps: RecordDeps = { recorder: store, clock, budgetMs: 5000, failAfterSeconds: 900, seen: new SeenWrites() };
    const outcomes: unknown[] = [];
    for (const c of calls) {
      const rsp = RunFunctionResponse.decode(encodeResponse(await runFunction(decodeRequest(bytesFor(c.deployment, c.cost), 'lazy'), deps)));
      const sdk = await runFunction(decodeRequest(bytesFor(c.deployment, c.cost), 'sdk'), { ...deps, seen: new SeenWrites() });
      expect({ results: rsp.results, desired: rsp.desired?.composite?.resource }, c.reason).toEqual({ results: sdk.results, desired: sdk.desired?.composite?.resource });
      outcomes.push((rsp.desired?.composite?.resource?.['status'] as Record<string, { inputHash?: string }> | undefined)?.['outcome']?.inputHash);
    }
    const rows = (await db.pool.query<{ decision_hash: string; strategy: string; config: unknown; cost_monthly: number }>('SELECT decision_hash, strategy, config, cost_monthly FROM deployments ORDER BY id')).rows;
    expect({ outcomes, rows }).toEqual({
      outcomes: ['h1', 'h1', 'h2', 'h3', 'h1', 'h1', undefined],
      rows: [
        { decision_hash: 'h1', strategy: 'vm', config: VM.config, cost_monthly: 30 },
        { decision_hash: 'h2', strategy: 'kubernetes', config: VM.config, cost_monthly: 17.5 },
        { decision_hash: 'h3', strategy: 'vm', config: { instanceType: 't3.large' }, cost_monthly: 17.5 },
      ],
    });
  });
});
