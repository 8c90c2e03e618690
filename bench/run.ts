import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { dialFunction, respond, startFunctionServer } from '@scia/runtime';
import { measure, measureConcurrent, type BenchRow } from './measure.js';

/**
 * The benchmark harness behind `npm run bench` (`-- --only=pipeline,rag` picks
 * suites). Rows report what they measured; a row compared with a baseline
 * names it in its note, measured in the same run on the same input (the
 * pipeline suite's no-op functions fed the same requests). The first rows time
 * an empty request to a no-op function: the gRPC round trip alone, not a floor
 * for any other row. Suites live beside this file as `<name>.bench.ts`, each
 * exporting one async function returning BenchRows.
 */

const SUITES: Record<string, string> = {
  render: 'benchRender',
  analyze: 'benchAnalyze',
  decide: 'benchDecide',
  rag: 'benchRag',
  console: 'benchConsole',
  web: 'benchWeb',
  pipeline: 'benchPipeline',
};

async function baseline(): Promise<BenchRow[]> {
  const server = await startFunctionServer({
    name: 'function-noop',
    run: (req) => respond(req, 60),
    address: '127.0.0.1:0',
    credentials: grpc.ServerCredentials.createInsecure(),
  });
  const client = dialFunction(server.address);
  const req = RunFunctionRequest.fromPartial({ meta: { tag: 'bench' } });
  try {
    return [
      await measure('runtime: no-op function over gRPC, empty request', () => client.run(req), { iterations: 2000 }),
      await measureConcurrent('runtime: no-op function over gRPC, empty request', () => client.run(req), 16, 200),
    ];
  } finally {
    client.close();
    await server.shutdown(100);
  }
}

async function runSuite(file: string, exportName: string): Promise<BenchRow[]> {
  const mod = (await import(file)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`cannot run bench ${file}: it does not export ${exportName}`);
  return (fn as () => Promise<BenchRow[]>)();
}

function table(rows: BenchRow[]): string {
  const header = ['benchmark', 'ops/s', 'p50 ms', 'p95 ms', 'note'];
  const lines = rows.map((r) => [r.name, String(r.ops), r.p50Ms.toFixed(3), r.p95Ms.toFixed(3), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const rows = await baseline();
  const base = rows[0];
  if (base === undefined) throw new Error('cannot measure the baseline');
  for (const [suite, exportName] of Object.entries(SUITES)) {
    if (only !== undefined && !only.includes(suite)) continue;
    const file = fileURLToPath(new URL(`./${suite}.bench.js`, import.meta.url));
    if (!existsSync(file)) continue;
    process.stderr.write(`bench: ${suite}\n`);
    rows.push(...(await runSuite(file, exportName)));
  }
  process.stdout.write(json ? `${JSON.stringify({ baseline: base, rows }, null, 2)}\n` : `${table(rows)}\n`);
}

await main();
