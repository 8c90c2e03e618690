import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Outcome, type SimilarCase } from '@scia/api';
import { clockFromEnv } from '@scia/api';
import { databaseFromEnv, importV1File, runBench, storeFromEnv, storeStats, type CaseQueryInput, type OpenedStore, type Store } from '@scia/rag';
import type { Command, Io } from '../command.js';

const USAGE = `Usage: scia rag import FILE [--namespace NS] [--shared] [--json]
       scia rag query --framework F --prompt TEXT [--language L] [--namespace NS] [--k N]
                      [--budget USD] [--outcome O] [--exact] [--json]
       scia rag stats [--json]
       scia rag bench --rows N [--queries Q] [--frameworks N] [--tenants N] [--keep] [--repeat R] [--json]

The deployments store: PostgreSQL at SCIA_DATABASE_URL, else PGlite in
SCIA_DATA_DIR (default .scia/data). A fresh store starts with the example
knowledge (examples/knowledge/seed.json) unless SCIA_RAG_SEED=false.
  import   load a SCIA v1 export (JSON rows of its deployments table)
  query    the past deployments most like an app, ranked, with score parts
  stats    what the store holds
  bench    load N synthetic rows into a scratch schema (PostgreSQL) or a
           scratch in-memory PGlite; time the load, the index builds, and
           filtered top-5 searches per search setting with recall@5 against
           the exact answer; --frameworks (20) and --tenants (10) spread the
           rows, setting how selective the filter is; --keep keeps the
           dataset (PostgreSQL) for the next --keep to reuse, running only
           the queries; --repeat runs the queries R times
With --json, stdout carries only the JSON object; logs go to stderr.`;

const OPTIONS = {
  namespace: { type: 'string' }, shared: { type: 'boolean', default: false },
  framework: { type: 'string' }, language: { type: 'string' }, prompt: { type: 'string' },
  k: { type: 'string' }, budget: { type: 'string' }, outcome: { type: 'string' }, exact: { type: 'boolean', default: false },
  rows: { type: 'string' }, queries: { type: 'string' }, frameworks: { type: 'string' }, tenants: { type: 'string' },
  keep: { type: 'boolean', default: false }, repeat: { type: 'string' },
  json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    (values.help ? io.stdout : io.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (sub === 'bench') return bench(values, io);
  if (!['import', 'query', 'stats'].includes(sub)) return usageError(io, `unknown subcommand ${JSON.stringify(sub)}`);
  if (sub === 'import' && rest.length !== 1) return usageError(io, 'import needs one FILE');
  const search = sub === 'query' ? queryOf(values) : undefined;
  if (search !== undefined && !search.ok) return usageError(io, search.error);
  const opened = await storeFromEnv(io.env, { cwd: io.cwd, clock: clockFromEnv(io.env) });
  if (!opened.ok) {
    io.stderr.write(`scia rag: ${opened.error}\n`);
    return 1;
  }
  report(opened.value, io);
  try {
    if (sub === 'import') return await importFile(opened.value.store, resolve(io.cwd, rest[0] ?? ''), values, io);
    if (search?.ok === true) return await query(opened.value.store, search.value, values.exact, values.json, io);
    return await stats(opened.value.store, values, io);
  } finally {
    await opened.value.store.close();
  }
}

function usageError(io: Io, why: string): number {
  io.stderr.write(`scia rag: ${why}\n${USAGE}\n`);
  return 2;
}

function report(opened: OpenedStore, io: Io): void {
  for (const w of opened.warnings) io.stderr.write(`scia rag: warning: ${w}\n`);
  if (opened.seeded !== undefined) io.stderr.write(`scia rag: new store at ${opened.store.db.where}: loaded ${opened.seeded.written} example deployments\n`);
}

async function importFile(store: Store, file: string, v: Values, io: Io): Promise<number> {
  const done = await importV1File(store, file, { namespace: v.namespace ?? '', shared: v.shared });
  if (!done.ok) {
    io.stderr.write(`scia rag: ${done.error}\n`);
    return 1;
  }
  for (const s of done.value.skipped) io.stderr.write(`scia rag: skipped ${s}\n`);
  const r = done.value;
  io.stdout.write(v.json ? `${JSON.stringify(r, null, 2)}\n` : `${r.rows} rows: ${r.written} written, ${r.unchanged} unchanged, ${r.skipped.length} skipped\n`);
  return 0;
}

/** queryOf reads the flags of `scia rag query` into a search. */
function queryOf(v: Values): { ok: true; value: CaseQueryInput } | { ok: false; error: string } {
  if (v.framework === undefined || v.prompt === undefined) return { ok: false, error: 'query needs --framework and --prompt' };
  const k = v.k === undefined ? 5 : Number(v.k);
  const budget = v.budget === undefined ? undefined : Number(v.budget);
  if (!Number.isInteger(k) || k < 1 || k > 100) return { ok: false, error: `--k takes a whole number from 1 to 100, not ${JSON.stringify(v.k)}` };
  if (budget !== undefined && !(budget > 0)) return { ok: false, error: `--budget takes a positive number of USD, not ${JSON.stringify(v.budget)}` };
  const outcome = Outcome.safeParse(v.outcome);
  if (v.outcome !== undefined && !outcome.success) return { ok: false, error: `--outcome takes success, failed or degraded, not ${JSON.stringify(v.outcome)}` };
  return {
    ok: true,
    value: {
      app: { framework: v.framework, language: v.language ?? 'unknown', prompt: v.prompt, ...(budget === undefined ? {} : { budgetMonthly: budget }) },
      tenant: v.namespace ?? '',
      filters: {
        framework: v.framework,
        nonNegativeFeedback: true,
        ...(outcome.success ? { outcomes: [outcome.data] } : {}),
        ...(budget === undefined ? {} : { maxCostMonthly: budget }),
      },
      k,
    },
  };
}

async function query(store: Store, search: CaseQueryInput, exact: boolean, json: boolean, io: Io): Promise<number> {
  const found = await store.search(search, { mode: exact ? 'exact' : 'auto' });
  if (!found.ok) {
    io.stderr.write(`scia rag: ${found.error}\n`);
    return 1;
  }
  for (const w of found.value.warnings) io.stderr.write(`scia rag: warning: ${w}\n`);
  io.stdout.write(json ? `${JSON.stringify(found.value, null, 2)}\n` : found.value.cases.map(line).join('') || 'no similar deployments\n');
  return 0;
}

function line(c: SimilarCase): string {
  const cost = c.costMonthly === undefined ? '' : ` $${c.costMonthly}/month`;
  const why = c.failureReason === undefined ? '' : ` (${c.failureReason})`;
  const p = c.scoreParts;
  return `${c.score.toFixed(3)}  ${c.name}: ${c.framework} on ${c.strategy}, ${c.outcome}${why}${cost}, feedback ${c.feedback}` +
    `  [traits ${p.similarity.toFixed(2)} intent ${p.intent.toFixed(2)} outcome ${p.outcome.toFixed(2)} feedback ${p.feedback.toFixed(2)} recency ${p.recency.toFixed(2)} cost ${p.cost.toFixed(2)}]\n`;
}

async function stats(store: Store, v: Values, io: Io): Promise<number> {
  const s = await storeStats(store.db);
  if (v.json) io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  else {
    const kv = (o: Record<string, number>): string => Object.entries(o).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    io.stdout.write(`${s.backend} at ${s.where}, schema version ${s.schemaVersion}\n${s.rows} deployments (${s.shared} shared) from ${s.tenants} tenants\n` +
      `embedders: ${kv(s.byEmbedder)}\noutcomes: ${kv(s.byOutcome)}\nstrategies: ${kv(s.byStrategy)}\nframeworks: ${kv(s.topFrameworks)}\n`);
  }
  return 0;
}

async function bench(v: Values, io: Io): Promise<number> {
  const rows = Number(v.rows);
  const queries = v.queries === undefined ? 200 : Number(v.queries);
  if (!Number.isInteger(rows) || rows < 100) return usageError(io, `bench needs --rows N (at least 100), not ${JSON.stringify(v.rows ?? null)}`);
  if (!Number.isInteger(queries) || queries < 10) return usageError(io, `--queries takes a whole number of at least 10, not ${JSON.stringify(v.queries)}`);
  const frameworks = v.frameworks === undefined ? 20 : Number(v.frameworks);
  const tenants = v.tenants === undefined ? 10 : Number(v.tenants);
  if (![frameworks, tenants].every((n) => Number.isInteger(n) && n >= 1)) return usageError(io, '--frameworks and --tenants take whole numbers of at least 1');
  const repeat = v.repeat === undefined ? 1 : Number(v.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) return usageError(io, `--repeat takes a whole number of at least 1, not ${JSON.stringify(v.repeat)}`);
  const target = databaseFromEnv(io.env, io.cwd);
  if (!target.ok) return usageError(io, target.error);
  const r = await runBench(target.value, { rows, queries, frameworks, tenants, keep: v.keep, repeat, progress: (l) => io.stderr.write(`scia rag bench: ${l}\n`) });
  if (v.json) {
    io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`${r.backend}: ${r.rows} rows of ${r.dimensions} dims, ${r.queries} queries per setting after 10 untimed` +
    `${r.dataset === undefined ? '' : `; dataset ${r.dataset}${r.reused ? ' (reused)' : ' (built and kept)'}`}\n` +
    `${r.reused ? 'when built: ' : ''}load ${(r.loadMs / 1000).toFixed(1)} s (${r.loadRowsPerSec} rows/s), index builds ${(r.indexBuildMs / 1000).toFixed(1)} s, ANALYZE ${r.analyzeMs.toFixed(0)} ms\n`);
  for (const f of r.filters) {
    io.stdout.write(`run ${f.run}, ${f.filter} filter: ${f.describe} (${(f.keptShare * 100).toFixed(1)}% of rows)\n`);
    for (const s of f.results) {
      io.stdout.write(`  ${s.setting.padEnd(42)} p50 ${s.p50Ms.toFixed(2)}  p95 ${s.p95Ms.toFixed(2)}  p99 ${s.p99Ms.toFixed(2)} ms  n=${s.timed}  ${String(s.ops).padStart(5)} q/s  recall@5 ${s.recallAt5.toFixed(3)}  rows ${s.meanRows.toFixed(2)}\n    plan: ${s.plan}\n`);
    }
  }
  return 0;
}

export const command: Command = { name: 'rag', summary: 'import, query, count and benchmark the deployments store', usage: USAGE, run };
