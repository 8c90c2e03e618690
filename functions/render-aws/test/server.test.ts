import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { definition } from '@scia/function-render-aws';
import { dialFunction, silentLogger, startFunctionServer, type FunctionClient, type RunningFunctionServer } from '@scia/runtime';
import { kindsOf, results } from './fixtures/check.js';
import * as K from './fixtures/kinds.js';
import { analysis, decision, request, xr } from './fixtures/requests.js';

describe('function-scia-render-aws over gRPC', () => {
  let server: RunningFunctionServer;
  let client: FunctionClient;

  beforeAll(async () => {
    const built = await definition.build({ env: { SCIA_NOW: '2026-01-01T00:00:00Z' }, logger: silentLogger() });
    server = await startFunctionServer({
      name: definition.name,
      run: built.run,
      address: '127.0.0.1:0',
      credentials: grpc.ServerCredentials.createInsecure(),
    });
    client = dialFunction(`127.0.0.1:${server.port}`);
    await client.waitForReady(5000);
  });

  afterAll(async () => {
    client.close();
    await server.shutdown(1000);
  });

  it('renders a vm deployment, echoing the tag with a 60 s TTL', async () => {
    const rsp = await client.run(
      request({ xr: xr('cluster'), context: { 'scia.io/decision': decision(), 'scia.io/analysis': analysis() } }),
    );
    expect({ tag: rsp.meta?.tag, ttl: rsp.meta?.ttl, results: results(rsp), kinds: kindsOf(rsp) }).toEqual({
      tag: 'render-tag',
      ttl: { seconds: 60, nanos: 0 },
      results: [],
      kinds: K.VM,
    });
    expect(rsp.context).toEqual({ 'scia.io/decision': decision(), 'scia.io/analysis': analysis() });
  });

  it('answers a bad claim with a Fatal result, not a gRPC error', async () => {
    const rsp = await client.run(request({ xr: xr('cluster', { region: 'mars' }) }));
    expect(rsp.results.map((r) => r.severity)).toEqual([Severity.SEVERITY_FATAL]);
    expect(rsp.results[0]?.message).toMatch(/^cannot render AWS resources: spec\.repository: /);
  });
});
