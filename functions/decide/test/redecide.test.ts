import { describe, expect, it } from 'vitest';
import { DeploymentSpec } from '@scia/api';
import { MAX_ATTEMPTS, MODEL_NONE, decide, decisionInputHash } from '@scia/decider';
import { decisionPinned } from '@scia/function-retrieve';
import { SingleFlight } from '@scia/runtime';
import { MemoryDecisionCache, runFunction, type DecideDeps } from '../src/index.js';
import { decisionOf, desiredStatusOf, request } from './request.js';

let decisions = 0;
function deps(): DecideDeps {
  return {
    decide: (input, model) => {
      decisions++;
      return decide(input, { model });
    },
    modelFor: () => undefined,
    cache: new MemoryDecisionCache(),
    pending: new SingleFlight(),
    budgetMs: 10_000,
  };
}

const spec = { repository: { url: 'https://example.com/acme/flask-api', ref: 'main' }, region: 'us-east-1' };
const failedAt = '2026-01-01T00:20:00Z';

/** failing is a status whose pinned decision the record step judged failed (out of memory), ready to decide again or not. */
function failing(status: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  const d = status['deployment'] as { inputHash: string };
  return {
    ...status,
    history: [{ at: '2026-01-01T00:00:00Z', event: 'PhaseProvisioning', message: 'Pending -> Provisioning' }],
    outcome: { inputHash: d.inputHash, outcome: 'failed', causes: ['out-of-memory'], summary: 'not ready: asg (AsyncCreateFailure)', thumbsDown: false, failedAt, redecide: true, gaveUp: false, ...over },
  };
}

describe('decide step: self-correction', () => {
  it('decides again once per failed attempt, with the failure as evidence in its hash, and says so in history', async () => {
    decisions = 0;
    const d = deps();
    const first = desiredStatusOf(await runFunction(request({ spec }), d));
    const again = await runFunction(request({ spec, status: failing(first) }), d);
    const second = desiredStatusOf(again);
    const steady = await runFunction(request({ spec, status: second }), d);
    const deployment = second['deployment'] as Record<string, unknown>;
    const parsed = DeploymentSpec.parse(spec) as DeploymentSpec;
    expect({
      decisions,
      attempt: deployment['attempt'],
      evidence: deployment['evidence'],
      newHash: deployment['inputHash'] !== (first['deployment'] as Record<string, unknown>)['inputHash'],
      history: (second['history'] as unknown[]).slice(-1),
      steady: decisionOf(steady)?.inputHash === deployment['inputHash'],
      retrievePinned: decisionPinned(second, parsed, undefined),
      claimHash: decisionInputHash(parsed, 'main', MODEL_NONE) === (first['deployment'] as Record<string, unknown>)['inputHash'],
    }).toEqual({
      decisions: 2,
      attempt: 2,
      evidence: { cases: '', failures: [{ inputHash: (first['deployment'] as Record<string, unknown>)['inputHash'], strategy: 'vm', config: { instanceType: 't3.small', volumeSizeGb: 20, minSize: 1, maxSize: 2, desiredCapacity: 1 }, causes: ['out-of-memory'], summary: 'not ready: asg (AsyncCreateFailure)' }] },
      newHash: true,
      history: [{ at: failedAt, event: 'Redecided', message: 'attempt 2: vm failed (out-of-memory; not ready: asg (AsyncCreateFailure)), decided again with it as evidence' }],
      steady: true,
      retrievePinned: true,
      claimHash: true,
    });
  });

  it('waits out the backoff without deciding, and gives up with the reasons once the attempts are spent', async () => {
    decisions = 0;
    const d = deps();
    const first = desiredStatusOf(await runFunction(request({ spec }), d));
    const waiting = await runFunction(request({ spec, status: failing(first, { redecide: false }) }), d);
    const spent = { ...first, deployment: { ...(first['deployment'] as object), attempt: MAX_ATTEMPTS } };
    const gaveUp = await runFunction(request({ spec, status: failing(spent, { redecide: false, gaveUp: true }) }), d);
    expect({
      decisions,
      waiting: waiting.results.map((r) => r.reason),
      gaveUp: { phase: desiredStatusOf(gaveUp)['phase'], results: gaveUp.results.map((r) => r.reason), message: String(desiredStatusOf(gaveUp)['message']) },
    }).toEqual({
      decisions: 1,
      waiting: ['RedecisionPending'],
      gaveUp: { phase: 'Failed', results: ['GaveUp'], message: 'gave up deciding again, every decision failed: attempt 1: vm 1 x t3.small (out-of-memory)' },
    });
  });
});
