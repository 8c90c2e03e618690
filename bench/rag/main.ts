import { parseArgs } from 'node:util';
import { runBench, type BenchReport } from '@scia/rag';
import { benchDatabase } from '../support/postgres.js';

/**
 * The RAG bench on PostgreSQL in one command:
 *   node bench/dist/rag/main.js --rows 100000,300000 [--queries 200] [--json]
 * against SCIA_BENCH_DATABASE_URL, else a throwaway cluster it starts and
 * removes. Each row count loads a scratch schema of its own (see runBench).
 */
export async function ragOnPostgres(rows: readonly number[], queries: number, say: (line: string) => void): Promise<{ source: string; reports: BenchReport[] } | string> {
  const db = await benchDatabase();
  if (typeof db === 'string') return db;
  try {
    const reports: BenchReport[] = [];
    for (const n of rows) reports.push(await runBench({ kind: 'postgres', url: db.url }, { rows: n, queries, progress: (l) => say(`${n} rows: ${l}`) }));
    return { source: db.source, reports };
  } finally {
    db.close();
  }
}

/** reportText prints a report as `scia rag bench` does. */
export function reportText(r: BenchReport): string {
  const lines = [
    `${r.backend}: ${r.rows} rows of ${r.dimensions} dims, ${r.queries} queries per setting after 10 untimed, interleaved`,
    `load ${(r.loadMs / 1000).toFixed(1)} s (${r.loadRowsPerSec} rows/s), index builds ${(r.indexBuildMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(r.analyzeMs / 1000).toFixed(1)} s`,
  ];
  for (const f of r.filters) {
    lines.push(`${f.filter} filter: ${f.describe} (${(f.keptShare * 100).toFixed(1)}% of rows)`);
    for (const s of f.results) {
      lines.push(`  ${s.setting.padEnd(52)} p50 ${s.p50Ms.toFixed(2)} ms  p95 ${s.p95Ms.toFixed(2)} ms  ${String(s.ops).padStart(5)} q/s  recall@5 ${s.recallAt5.toFixed(3)}`, `    plan: ${s.plan}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
  const out = await ragOnPostgres(values.rows.split(',').map(Number), Number(values.queries), (l) => process.stderr.write(`bench: ${l}\n`));
  if (typeof out === 'string') throw new Error(out);
  process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `store: ${out.source}\n${out.reports.map(reportText).join('\n\n')}\n`);
}

if (process.argv[1] === import.meta.filename) await main();
