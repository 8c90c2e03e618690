import { SingleFlight } from '@scia/runtime';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis } from '@scia/api';
import { decide } from '@scia/decider';
import { dialFunction, startFunctionServer, type FunctionClient, type RunningFunctionServer } from '@scia/runtime';
import { MemoryDecisionCache, modelSource, runFunction, type DecideDeps } from '../src/index.js';
import { reply, startOllamaServer, type OllamaServer } from '../../../test/support/ollama-server.js';
import { desiredStatusOf, request } from './request.js';

const analysis = Analysis.parse({
  url: 'https://example.com/acme/flask-api',
  commit: '9f1c2d3e4b5a69788796a5b4c3d2e1f009182736',
  language: 'python',
  framework: 'flask',
  dependencyCount: 12,
  size: { files: 48, bytes: 210_000 },
  confidence: 0.9,
});

let ollama: OllamaServer;
let fn: RunningFunctionServer;
let client: FunctionClient;
beforeAll(async () => {
  ollama = await startOllamaServer({
    chat: () => reply.json({
      strategy: 'serverless',
      reason: 'Small Flask API, spiky traffic.',
      confidence: 0.75,
      config: { memoryMb: 1024, timeoutSeconds: 20 },
      alternativeStrategies: [{ strategy: 'vm', reason: 'Steadier, costs more.', confidence: 0.3 }],
      citedCases: [],
    }),
  });
  const deps: DecideDeps = {
    decide: (input, model) => decide(input, { model }),
    modelFor: modelSource({ host: ollama.url, model: 'qwen2.5-coder:7b' }),
    cache: new MemoryDecisionCache(),
    pending: new SingleFlight(),
    budgetMs: 10_000,
  };
  fn = await startFunctionServer({ name: 'function-scia-decide', run: (req) => runFunction(req, deps), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
  client = dialFunction(`127.0.0.1:${fn.port}`);
  await client.waitForReady(5000);
});
afterAll(async () => {
  client.close();
  await fn.shutdown(1000);
  await ollama.close();
});

describe('a pinned decision over gRPC', () => {
  it('reconciles the same XR 1,000 times with exactly one model call and byte-identical desired state', async () => {
    const spec = { prompt: 'Python API for our mobile app, spiky traffic', region: 'eu-west-3', policies: ['require-https', 'enable-monitoring'], budget: { maxMonthlyCost: 200 }, artifact: { image: 'repo/flask-api:1.4.2' } };
    const context = { 'scia.io/analysis': analysis };
    let status: Record<string, unknown> | undefined;
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const rsp = await client.run(request({ spec, status, context }));
      seen.add(JSON.stringify({ meta: rsp.meta, desired: rsp.desired, context: rsp.context, results: rsp.results, conditions: rsp.conditions }));
      // Crossplane applies the desired status; the next reconcile observes it.
      status = desiredStatusOf(rsp);
    }
    expect({ modelCalls: ollama.chatCalls.length, distinctResponses: seen.size }).toEqual({ modelCalls: 1, distinctResponses: 1 });
    // 0.20 requests + 200,000 GB-s x 0.0000166667 (3.33) + 2 alarms (0.20) + 1 GB of logs in eu-west-3 (0.63)
    const decision = JSON.parse([...seen][0] ?? '{}') as { context: Record<string, { strategy: string; decidedBy: string; estimatedMonthlyCost: number }> };
    expect(decision.context['scia.io/decision']).toMatchObject({ strategy: 'serverless', decidedBy: 'llm', estimatedMonthlyCost: 4.36 });
  });
});
