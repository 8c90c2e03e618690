import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { ContextKey } from '@scia/api';
import { runFunction } from '@scia/function-retrieve';
import { hashingEmbedder, loadSeed, openDatabase, openStore, runBench, type BenchReport, type DeploymentRecordInput } from '@scia/rag';
import { measure, type BenchRow } from './measure.js';
import { ragOnPostgres } from './rag/main.js';

const clock = { now: () => new Date('2026-06-01T00:00:00Z') };

function retrieveRequest(): RunFunctionRequest {
  const xr = {
    apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment',
    metadata: { name: 'flask-api-x7k2p', labels: { 'crossplane.io/claim-namespace': 'team-a' } },
    spec: { repository: { url: 'https://example.com/acme/flask-api', ref: 'main' }, region: 'eu-west-3', prompt: 'REST API for a mobile app, under $100/month' },
  };
  const analysis = {
    url: 'https://example.com/acme/flask-api', commit: '9f1c2d3e4b5a69788796a5b4c3d2e1f009182736', language: 'python', framework: 'flask',
    dependencies: [{ name: 'flask', ecosystem: 'pypi', manifest: 'requirements.txt' }], services: [{ kind: 'postgresql' }],
    size: { files: 48, bytes: 210_000 }, confidence: 0.9,
  };
  return RunFunctionRequest.fromPartial({ meta: { tag: 'bench' }, observed: { composite: { resource: xr } }, context: { [ContextKey.analysis]: analysis } });
}

/** embedded measures the embedded default: PGlite in memory, the example knowledge, the hashing embedder. */
async function embedded(): Promise<BenchRow[]> {
  const opened = await openStore({ db: await openDatabase({ kind: 'pglite', dataDir: 'memory://' }), embedder: hashingEmbedder(), clock });
  if (!opened.ok) throw new Error(opened.error);
  const store = opened.value.store;
  try {
    await loadSeed(store);
    const record: DeploymentRecordInput = {
      xrUid: 'uid-1', decisionHash: 'h1', name: 'flask-api', namespace: 'team-a', app: { language: 'python', framework: 'flask', prompt: 'API' },
      strategy: 'vm', config: { instanceType: 't3.small' }, outcome: 'success', costMonthly: 17.5,
    };
    await store.record(record);
    const req = retrieveRequest();
    const query = { app: { language: 'python', framework: 'flask', prompt: 'REST API for a mobile app' }, tenant: 'team-a', filters: { framework: 'flask' }, k: 5 };
    return [
      await measure('rag: store.search top-5 re-ranked (PGlite, seed)', () => store.search(query), { iterations: 300, note: 'embed + filtered search + re-rank' }),
      await measure('rag: retrieve step in-process (PGlite, seed)', () => runFunction(req, { retriever: store, budgetMs: 3000 }), { iterations: 300 }),
      await measure('rag: store.record, outcome already recorded (PGlite)', () => store.record(record), { iterations: 300, note: 'one SELECT, no write' }),
    ];
  } finally {
    await store.close();
  }
}

function rowsOf(label: string, r: BenchReport): BenchRow[] {
  return [
    { name: `rag: ${label} load ${r.rows} rows`, ops: r.loadRowsPerSec, p50Ms: 0, p95Ms: 0, note: `load ${Math.round(r.loadMs)} ms, index builds ${Math.round(r.indexBuildMs)} ms (ops = rows/s)` },
    ...r.filters.flatMap((f) => f.results.map((s) => ({
      name: `rag: ${label} ${r.rows} rows top-5, ${f.filter} (${(f.keptShare * 100).toFixed(1)}%), ${s.setting}`,
      ops: s.ops,
      p50Ms: s.p50Ms,
      p95Ms: s.p95Ms,
      note: `recall@5 ${s.recallAt5.toFixed(3)} vs the exact answer; ${s.plan}`,
    }))),
  ];
}

/**
 * benchRag measures the RAG store: the embedded default's search, retrieve
 * step and idempotent record, filtered top-5 searches on PGlite
 * (SCIA_BENCH_PGLITE_ROWS, default 5000) and on PostgreSQL
 * (SCIA_BENCH_DATABASE_URL, else a throwaway cluster) at SCIA_BENCH_RAG_ROWS
 * (comma-separated, default 20000; `node bench/dist/rag/main.js --rows
 * 100000,300000` runs those alone). Recall is against the exact answer under
 * the same filter, in the same run.
 */
export async function benchRag(): Promise<BenchRow[]> {
  const rows = await embedded();
  rows.push(...rowsOf('PGlite', await runBench({ kind: 'pglite', dataDir: 'memory://' }, { rows: Number(process.env['SCIA_BENCH_PGLITE_ROWS'] ?? 5000), queries: 100 })));
  const sizes = (process.env['SCIA_BENCH_RAG_ROWS'] ?? '20000').split(',').map(Number);
  const pg = await ragOnPostgres(sizes, 200, (l) => process.stderr.write(`bench: ${l}\n`));
  if (typeof pg === 'string') process.stderr.write(`bench: rag on PostgreSQL skipped: ${pg}\n`);
  else for (const r of pg.reports) rows.push(...rowsOf('PostgreSQL', r));
  return rows;
}
