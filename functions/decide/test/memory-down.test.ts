import { describe, expect, it } from 'vitest';
import { ContextKey } from '@scia/api';
import { decide } from '@scia/decider';
import { SingleFlight } from '@scia/runtime';
import { MEMORY_RETRY_TTL_SECONDS, MemoryDecisionCache, runFunction, type DecideDeps } from '../src/index.js';
import { decisionOf, desiredStatusOf, request } from './request.js';

const deps = (decided: { n: number }): DecideDeps => ({
  decide: (input) => {
    decided.n++;
    return decide(input);
  },
  modelFor: () => undefined,
  cache: new MemoryDecisionCache(),
  pending: new SingleFlight(),
  budgetMs: 10_000,
});

const down = { embedder: 'none', queryHash: 'q', cases: [], unavailable: 'cannot connect to the deployments store: connection refused' };
// A decision deployed earlier, for other inputs (the prompt changed since): VMs with their size.
const deployed = { deployment: { strategy: 'vm', reason: 'steady API', confidence: 0.8, decidedBy: 'rules', inputHash: 'f'.repeat(64), config: { instanceType: 't3.small', minSize: 2, maxSize: 4 } } };

describe('the deployment memory down', () => {
  it('keeps a deployed decision rather than re-decide without evidence: phase Deciding, a retry, the deployed strategy in context', async () => {
    const decided = { n: 0 };
    const rsp = await runFunction(request({ spec: { prompt: 'now serverless please' }, status: deployed, context: { [ContextKey.similar]: down } }), deps(decided));
    expect({
      decided: decided.n,
      strategy: decisionOf(rsp)?.strategy,
      instanceType: decisionOf(rsp)?.config.instanceType,
      phase: desiredStatusOf(rsp)['phase'],
      ttl: rsp.meta?.ttl?.seconds,
      reasons: rsp.results.map((r) => r.reason),
    }).toEqual({ decided: 0, strategy: 'vm', instanceType: 't3.small', phase: 'Deciding', ttl: MEMORY_RETRY_TTL_SECONDS, reasons: ['MemoryUnavailable', 'Deciding'] });
  });

  it('takes a first decision without it, and says so', async () => {
    const decided = { n: 0 };
    const rsp = await runFunction(request({ context: { [ContextKey.similar]: down } }), deps(decided));
    expect({ decided: decided.n, by: decisionOf(rsp)?.decidedBy, warned: rsp.results.some((r) => r.reason === 'MemoryUnavailable' && r.message.startsWith('deciding for the first time without the deployment memory')) })
      .toEqual({ decided: 1, by: 'rules', warned: true });
  });

  it('decides as usual once the memory answers again', async () => {
    const decided = { n: 0 };
    const rsp = await runFunction(request({ spec: { prompt: 'now serverless please' }, status: deployed, context: { [ContextKey.similar]: { ...down, unavailable: undefined } } }), deps(decided));
    expect({ decided: decided.n, phase: desiredStatusOf(rsp)['phase'] }).toEqual({ decided: 1, phase: undefined });
  });
});
