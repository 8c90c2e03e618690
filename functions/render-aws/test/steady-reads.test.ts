import { describe, expect, it } from 'vitest';
import { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { RenderCache, runFunction } from '@scia/function-render-aws';
import type { JsonObject } from '@scia/runtime';
import { analysis, decision, observedReady, request, spec, xr } from './fixtures/requests.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

/** watched is `obj` recording, in `reads`, each of its fields read (prefixed with `path`). */
function watched<T extends object>(obj: T, path: string, reads: string[]): T {
  return new Proxy(obj, { get: (t, k, r) => { if (typeof k === 'string') reads.push(`${path}${k}`); return Reflect.get(t, k, r); } });
}

/** status is an XR status as earlier steps pinned it, besides what the renderer reads (phase, history). */
const status: JsonObject = {
  phase: 'Provisioning',
  history: [{ at: '2026-01-01T00:00:00.000Z', event: 'PhaseProvisioning', message: 'Pending -> Provisioning' }],
  analysis: { commit: 'abc' },
  deployment: { strategy: 'vm', inputHash: 'h' },
  cost: { estimatedMonthly: 24.5 },
  outcome: { inputHash: 'h', thumbsDown: false },
  conditions: [{ type: 'Ready', status: 'False' }],
};

const req = (s: JsonObject) =>
  request({
    xr: xr('cluster', spec(), s),
    context: { 'scia.io/decision': decision(), 'scia.io/analysis': analysis() },
    observed: { vpc: observedReady() },
  });

const bytes = (rsp: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(rsp).finish()).toString('base64');

describe('what a render reads of the XR status', () => {
  it('reads its phase and history alone, and answers as with the whole status', async () => {
    const reads: string[] = [];
    const plain = await runFunction(req(status), { clock, renders: new RenderCache() });
    const read = await runFunction(req(watched(status, 'status.', reads)), { clock, renders: new RenderCache() });
    expect({ same: bytes(read) === bytes(plain), reads: [...new Set(reads)].sort() }).toEqual({ same: true, reads: ['status.history', 'status.phase'] });
  });
});
