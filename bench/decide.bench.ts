import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { decide } from '@scia/decider';
import { MemoryDecisionCache, runFunction, type DecideDeps } from '@scia/function-decide';
import { SingleFlight, dialFunction, startFunctionServer } from '@scia/runtime';
import { measure, type BenchRow } from './measure.js';

const analysis = {
  url: 'https://example.com/acme/flask-api',
  commit: '9f1c2d3e4b5a69788796a5b4c3d2e1f009182736',
  language: 'python',
  framework: 'flask',
  dependencyCount: 12,
  dependencies: [{ name: 'flask', ecosystem: 'pypi', manifest: 'requirements.txt' }],
  size: { files: 48, bytes: 210_000 },
  confidence: 0.9,
};

function request(prompt: string, status?: Record<string, unknown>): RunFunctionRequest {
  const spec = { repository: { url: analysis.url }, region: 'eu-west-3', prompt, policies: ['require-https', 'enable-monitoring'], budget: { maxMonthlyCost: 200 } };
  const xr = { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'bench' }, spec, ...(status === undefined ? {} : { status }) };
  return RunFunctionRequest.fromPartial({ meta: { tag: 'bench' }, observed: { composite: { resource: xr } }, context: { 'scia.io/analysis': analysis } });
}

function rulesDeps(): DecideDeps {
  return { decide: (input) => decide(input), modelFor: () => undefined, cache: new MemoryDecisionCache(), pending: new SingleFlight(), budgetMs: 3000 };
}

function statusOf(rsp: RunFunctionResponse): Record<string, unknown> {
  const status: unknown = rsp.desired?.composite?.resource?.['status'];
  return typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
}

/**
 * benchDecide measures the decide step: a pinned call (status carries the
 * decision for the same inputs: no model, no retrieval) over gRPC and
 * in-process, and a rules decision end to end (every call a new input hash).
 */
export async function benchDecide(): Promise<BenchRow[]> {
  const deps = rulesDeps();
  const pinned = request('Python API for our mobile app, high availability', statusOf(await runFunction(request('Python API for our mobile app, high availability'), deps)));
  const server = await startFunctionServer({ name: 'function-scia-decide', run: (req) => runFunction(req, deps), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
  const client = dialFunction(server.address);
  try {
    return [
      await measure('decide: pinned call over gRPC', () => client.run(pinned), { iterations: 2000, note: 'hash matches status.deployment: no model, no cache read' }),
      await measure('decide: pinned call in-process', () => runFunction(pinned, deps), { iterations: 2000 }),
      await measure('decide: rules decision over gRPC', (i) => client.run(request(`Python API, request ${i}`)), { iterations: 1000, note: 'new input hash each call: rules, cost, budget, cache write' }),
      await measure('decider: rules decision (decide() alone)', (i) => decide({ spec: { repository: { url: 'x', ref: 'HEAD' }, prompt: `p${i}`, cloudProvider: 'aws', region: 'eu-west-3', policies: ['require-https'], strategy: 'auto', providerConfigName: 'default' }, cases: [], inputHash: String(i) }), { iterations: 2000 }),
    ];
  } finally {
    client.close();
    await server.shutdown(100);
  }
}
