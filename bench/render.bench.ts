import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '@scia/function-render-aws';
import { dialFunction, startFunctionServer, type JsonObject } from '@scia/runtime';
import { measure, type BenchRow } from './measure.js';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

/** request builds a render call for an example XR, with the strategy it pins and no observed resources. */
function request(example: string): RunFunctionRequest {
  const xr = parse(readFileSync(new URL(`../../examples/${example}/xr.yaml`, import.meta.url), 'utf8')) as JsonObject;
  return RunFunctionRequest.fromPartial({ meta: { tag: 'bench' }, observed: { composite: { resource: xr } } });
}

/**
 * benchRender measures function-scia-render-aws per call, in-process and over
 * gRPC on loopback, for each strategy's example.
 */
export async function benchRender(): Promise<BenchRow[]> {
  const server = await startFunctionServer({
    name: 'function-scia-render-aws',
    run: (req) => runFunction(req, { clock }),
    address: '127.0.0.1:0',
    credentials: grpc.ServerCredentials.createInsecure(),
  });
  const client = dialFunction(server.address);
  const rows: BenchRow[] = [];
  try {
    for (const example of ['vm-basic', 'vm-https-monitoring', 'kubernetes', 'serverless']) {
      const req = request(example);
      const resources = Object.keys((await runFunction(req, { clock })).desired?.resources ?? {}).length;
      const note = `${resources} composed resources`;
      rows.push(await measure(`render-aws: ${example}, in-process`, () => runFunction(req, { clock }), { iterations: 500, note }));
      rows.push(await measure(`render-aws: ${example}, over gRPC`, () => client.run(req), { iterations: 500, note }));
    }
  } finally {
    client.close();
    await server.shutdown(100);
  }
  return rows;
}
