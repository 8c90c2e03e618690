import type { BenchRow } from './measure.js';
import { IMAGE_NODE_FLAGS, runPipelineBench } from './pipeline/main.js';
import { benchRows } from './pipeline/report.js';

/**
 * benchPipeline measures whole steady five-step pipeline runs over gRPC
 * against SCIA's functions and no-op functions fed the same requests
 * (bench/pipeline). SCIA_BENCH_PIPELINE_SECONDS (default 3) and
 * SCIA_BENCH_PIPELINE_REPS (default 3) size it; the lazy codec on both
 * transports is measured, each beside its own no-op floor, with every call's map entries shuffled; `node bench/dist/pipeline/main.js`
 * runs it alone with flags.
 */
export async function benchPipeline(): Promise<BenchRow[]> {
  const report = await runPipelineBench({
    concurrency: [1, 8, 32],
    seconds: Number(process.env['SCIA_BENCH_PIPELINE_SECONDS'] ?? 3),
    warmupMs: 1000,
    reps: Number(process.env['SCIA_BENCH_PIPELINE_REPS'] ?? 3),
    codecs: ['lazy'],
    transports: ['http2', 'grpc-js'],
    nodeFlags: [IMAGE_NODE_FLAGS],
    wireOrder: 'shuffled',
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  process.stderr.write(`${report.text}\n`);
  return benchRows(report);
}
