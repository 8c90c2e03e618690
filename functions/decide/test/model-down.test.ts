import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '@scia/decider';
import { SingleFlight } from '@scia/runtime';
import { MODEL_RETRY_TTL_SECONDS, MemoryDecisionCache, modelSource, runFunction, type DecideDeps } from '../src/index.js';
import { reply, startOllamaServer, type OllamaServer } from '../../../test/support/ollama-server.js';
import { decisionOf, desiredStatusOf, request } from './request.js';

let server: OllamaServer;
beforeAll(async () => {
  server = await startOllamaServer({ chat: () => reply.error(500) });
});
afterAll(() => server.close());

const deps = (cache = new MemoryDecisionCache()): DecideDeps => ({
  decide: (input, model) => decide(input, { model }),
  modelFor: modelSource({ host: server.url, model: 'qwen2.5-coder:7b', timeoutMs: 2000 }),
  cache,
  pending: new SingleFlight(),
  budgetMs: 10_000,
});

/** deployed is a decision the model took earlier for other inputs (the rules choose serverless for this claim). */
const deployed = (strategy: string, config: Record<string, unknown>) => ({
  deployment: { strategy, reason: 'the model chose', confidence: 0.8, decidedBy: 'llm', model: 'qwen2.5-coder:7b', inputHash: 'f'.repeat(64), config },
});
const spec = { prompt: 'changed: still spiky', artifact: { image: 'repo/app:1' } };

interface Case {
  reason: string;
  status: Record<string, unknown> | undefined;
  want: { strategy: string | undefined; phase: unknown; ttl: number | undefined; reasons: string[]; askedTwice: boolean };
}

const cases: Record<string, Case> = {
  moved: {
    reason: 'the rules would move a VM deployment to serverless: the deployed decision is kept, and the model asked again next time',
    status: deployed('vm', { instanceType: 't3.small', minSize: 2, maxSize: 4 }),
    want: { strategy: 'vm', phase: 'Deciding', ttl: MODEL_RETRY_TTL_SECONDS, reasons: ['ModelUnavailable', 'Deciding'], askedTwice: true },
  },
  same: {
    reason: 'the rules keep the deployed strategy: their decision applies, with a Warning',
    status: deployed('serverless', { memoryMb: 1024, timeoutSeconds: 20 }),
    want: { strategy: 'serverless', phase: undefined, ttl: 60, reasons: ['DecisionDegraded'], askedTwice: false },
  },
  first: {
    reason: 'nothing is deployed: the rules take the first decision, with a Warning',
    status: undefined,
    want: { strategy: 'serverless', phase: undefined, ttl: 60, reasons: ['DecisionDegraded'], askedTwice: false },
  },
};

describe('the model down during a re-decision', () => {
  it.each(Object.entries(cases))('%s', async (_, c) => {
    const d = deps();
    const req = request({ spec, ...(c.status === undefined ? {} : { status: c.status }) });
    const rsp = await runFunction(req, d);
    const before = server.chatCalls.length;
    await runFunction(req, d);
    expect({
      strategy: decisionOf(rsp)?.strategy,
      phase: desiredStatusOf(rsp)['phase'],
      ttl: rsp.meta?.ttl?.seconds,
      reasons: rsp.results.map((r) => r.reason),
      askedTwice: server.chatCalls.length > before,
    }, c.reason).toEqual(c.want);
  });
});
