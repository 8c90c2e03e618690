import { parseArgs } from 'node:util';
import { dropKept, runBench, type BenchReport } from '@scia/rag';
import { benchDatabase } from '../support/postgres.js';

/**
 * The RAG bench on PostgreSQL in one command:
 *   node bench/dist/rag/main.js --rows 100000,300000,1000000 [--queries 200] [--keep] [--repeat 3] [--json]
 * against SCIA_BENCH_DATABASE_URL, else a throwaway cluster it starts and
 * removes. Each row count loads a scratch schema of its own (see runBench),
 * or with --keep a kept dataset that later runs with --keep reuse (only the
 * queries run); --drop-kept drops the kept datasets.
 */
export async function ragOnPostgres(
  rows: readonly number[], queries: number, say: (line: string) => void, opts: { keep?: boolean; repeat?: number } = {},
): Promise<{ source: string; reports: BenchReport[] } | string> {
  const db = await benchDatabase();
  if (typeof db === 'string') return db;
  try {
    const reports: BenchReport[] = [];
    for (const n of rows) reports.push(await runBench({ kind: 'postgres', url: db.url }, { rows: n, queries, ...opts, progress: (l) => say(`${n} rows: ${l}`) }));
    return { source: db.source, reports };
  } finally {
    db.close();
  }
}

/** reportText prints a report as `scia rag bench` does. */
export function reportText(r: BenchReport): string {
  const lines = [
    `${r.backend}: ${r.rows} rows of ${r.dimensions} dims, ${r.queries} queries per setting after 10 untimed, interleaved${r.dataset === undefined ? '' : `; dataset ${r.dataset}${r.reused ? ' (reused)' : ' (built and kept)'}`}`,
    `${r.reused ? 'when built: ' : ''}load ${(r.loadMs / 1000).toFixed(1)} s (${r.loadRowsPerSec} rows/s), index builds ${(r.indexBuildMs / 1000).toFixed(1)} s (B-trees ${(r.btreeBuildMs / 1000).toFixed(1)} s), VACUUM ANALYZE ${(r.analyzeMs / 1000).toFixed(1)} s`,
    typeof r.prewarm === 'string' ? `no prewarm: ${r.prewarm}` : `prewarmed ${r.prewarm.relations} search indexes, ${r.prewarm.blocks} blocks (${r.prewarm.mode}), in ${(r.prewarm.ms / 1000).toFixed(1)} s`,
  ];
  for (const f of r.filters) {
    lines.push(`run ${f.run}, ${f.filter} filter: ${f.describe} (${(f.keptShare * 100).toFixed(1)}% of rows)`);
    for (const s of f.results) {
      lines.push(`  ${s.setting.padEnd(42)} p50 ${s.p50Ms.toFixed(2)}  p95 ${s.p95Ms.toFixed(2)}  p99 ${s.p99Ms.toFixed(2)} ms  n=${s.timed}  ${String(s.ops).padStart(5)} q/s  recall@5 ${s.recallAt5.toFixed(3)}`, `    plan: ${s.plan}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' }, json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' }, 'drop-kept': { type: 'boolean', default: false },
    },
  });
  if (values['drop-kept']) {
    const url = process.env['SCIA_BENCH_DATABASE_URL'];
    if (url === undefined || url === '') throw new Error('cannot drop kept datasets: SCIA_BENCH_DATABASE_URL is not set');
    process.stdout.write(`dropped: ${(await dropKept(url)).join(', ') || 'none'}\n`);
    return;
  }
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`cannot repeat ${values.repeat} times: want a whole number of at least 1`);
  const out = await ragOnPostgres(values.rows.split(',').map(Number), Number(values.queries), (l) => process.stderr.write(`bench: ${l}\n`), { keep: values.keep, repeat });
  if (typeof out === 'string') throw new Error(out);
  process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `store: ${out.source}\n${out.reports.map(reportText).join('\n\n')}\n`);
}

if (process.argv[1] === import.meta.filename) await main();
