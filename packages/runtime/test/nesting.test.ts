import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { dialFunction, MAX_JSON_DEPTH, respond, setContext, startFunctionServer, type FunctionClient, type RunningFunctionServer } from '@scia/runtime';

/** nested is a JSON object `depth` levels deep, ending in a list holding a leaf. */
function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: ['x'] };
  for (let i = 1; i < depth; i++) v = { n: v };
  return v;
}

/** deepest counts the object levels of a JSON value. */
function deepest(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return (Array.isArray(v) ? 0 : 1) + Math.max(0, ...Object.values(v).map(deepest));
}

let server: RunningFunctionServer;
let client: FunctionClient;
beforeAll(async () => {
  // The function echoes how deep the observed XR's spec is, in context: the request was read whole.
  server = await startFunctionServer({
    name: 'function-echo',
    run: (req) => {
      const rsp = respond(req, 60);
      const spec: unknown = req.observed?.composite?.resource?.['spec'];
      setContext(rsp, 'test/depth', { spec: deepest(spec), back: spec ?? null });
      return rsp;
    },
    address: '127.0.0.1:0',
    credentials: grpc.ServerCredentials.createInsecure(),
  });
  client = dialFunction(server.address);
});
afterAll(async () => {
  client.close();
  await server.shutdown(100);
});

const cases: Record<string, { reason: string; depth: number; want: { severity?: Severity; depth?: number } }> = {
  shallow: { reason: 'an ordinary resource', depth: 5, want: { depth: 5 } },
  'past-32': { reason: '33 levels, which the SDK alone refuses with gRPC INTERNAL', depth: 33, want: { depth: 33 } },
  'past-64': { reason: '80 levels, read and echoed back whole', depth: 80, want: { depth: 80 } },
  'past-limit': { reason: 'deeper than the server reads: a Fatal result with the tag, never an RPC error', depth: MAX_JSON_DEPTH + 20, want: { severity: Severity.SEVERITY_FATAL } },
};

describe('requests nested deeply', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const req = RunFunctionRequest.fromPartial({ meta: { tag: `deep-${c.depth}` }, observed: { composite: { resource: { apiVersion: 'x.io/v1', kind: 'X', spec: nested(c.depth) } } } });
    const rsp = await client.run(req, 10_000);
    const echoed = rsp.context?.['test/depth'] as { spec?: number; back?: unknown } | undefined;
    const got = {
      tag: rsp.meta?.tag,
      ...(rsp.results[0] === undefined ? {} : { severity: rsp.results[0].severity }),
      ...(echoed?.spec === undefined ? {} : { depth: echoed.spec }),
    };
    expect(got, c.reason).toEqual({ tag: `deep-${c.depth}`, ...c.want });
    if (c.want.depth !== undefined) expect(deepest(echoed?.back)).toBe(c.depth);
  });

  it('says why it refused', async () => {
    const rsp = await client.run(RunFunctionRequest.fromPartial({ meta: { tag: 't' }, observed: { composite: { resource: { spec: nested(MAX_JSON_DEPTH + 20) } } } }), 10_000);
    expect(rsp.results.map((r) => r.message)).toEqual([`cannot read the request for function-echo: its JSON nests deeper than the ${MAX_JSON_DEPTH} levels a function reads`]);
  });
});
