import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../../../test/support/postgres.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
if (postgresSkipReason !== undefined) process.stderr.write(`bench-interrupt.test.ts: skipped: ${postgresSkipReason}\n`);

interface Bench {
  /** reached resolves once stderr has printed `line`. */
  reached(line: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

function bench(url: string, rows: number, more: string[] = []): Bench {
  const child = spawn(process.execPath, ['bin/scia.js', 'rag', 'bench', '--rows', String(rows), '--queries', '10', ...more], {
    cwd: repo, env: { PATH: process.env['PATH'] ?? '', SCIA_DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const waiters: { line: RegExp; resolve: () => void }[] = [];
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    for (const w of waiters.filter((x) => x.line.test(stderr))) w.resolve();
  });
  return {
    reached: (line) => new Promise((resolve) => { if (line.test(stderr)) resolve(); else waiters.push({ line, resolve }); }),
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr }))),
    kill: (signal) => child.kill(signal),
  };
}

async function leftovers(url: string): Promise<{ schemas: string[]; sessions: string[] }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // A session of a vanished client ends within the server's connection check (1 s): wait a little for it.
    for (let i = 0; ; i++) {
      const schemas = (await c.query<{ n: string }>("SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'scia\\_bench%' ORDER BY 1")).rows.map((r) => r.n);
      const sessions = (await c.query<{ n: string }>("SELECT application_name AS n FROM pg_stat_activity WHERE application_name LIKE 'scia\\_bench%'")).rows.map((r) => r.n);
      if ((schemas.every((n) => n.startsWith('scia_benchkeep_')) && sessions.length === 0) || i >= 50) return { schemas, sessions };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await c.end();
  }
}

describe.skipIf(postgresSkipReason !== undefined)('scia rag bench on PostgreSQL, interrupted', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server.stop());

  it('drops its scratch schema and stops its statements on SIGINT', async () => {
    const url = await server.createDatabase();
    const run = bench(url, 200_000);
    await run.reached(/loading 200000 rows/);
    run.kill('SIGINT');
    const exit = await run.exited;
    expect({ code: exit.code, said: /SIGINT: dropping the scratch schema scia_bench_/.test(exit.stderr), left: await leftovers(url) })
      .toEqual({ code: 130, said: true, left: { schemas: [], sessions: [] } });
  }, 120_000);

  it('leaves the schema of a bench killed outright to the next bench, which drops it', async () => {
    const url = await server.createDatabase();
    const killed = bench(url, 200_000);
    await killed.reached(/loading 200000 rows/);
    killed.kill('SIGKILL');
    await killed.exited;
    const next = bench(url, 200);
    const exit = await next.exited;
    expect({ code: exit.code, swept: /dropped abandoned scratch schemas: scia_bench_\d+_/.test(exit.stderr), left: await leftovers(url) })
      .toEqual({ code: 0, swept: true, left: { schemas: [], sessions: [] } });
  }, 180_000);

  it('keeps a dataset with --keep, and the next --keep runs only the queries on it', async () => {
    const url = await server.createDatabase();
    const first = await bench(url, 3000, ['--keep']).exited;
    const again = await bench(url, 3000, ['--keep', '--repeat', '2', '--json']).exited;
    const left = await leftovers(url);
    expect({
      codes: [first.code, again.code],
      built: /building the kept dataset scia_benchkeep_3000_[0-9a-f]{12}\n[^]*loading 3000 rows/.test(first.stderr),
      reused: /reusing the kept dataset scia_benchkeep_3000_/.test(again.stderr) && !/loading/.test(again.stderr),
      runs: (again.stderr.match(/run \d: 10 (selective|broad) queries/g) ?? []).length,
      left: { schemas: left.schemas.map((n) => n.replace(/[0-9a-f]{12}$/, 'F')), sessions: left.sessions },
    }).toEqual({ codes: [0, 0], built: true, reused: true, runs: 4, left: { schemas: ['scia_benchkeep_3000_F'], sessions: [] } });
  }, 180_000);

  it('drops a kept dataset interrupted while it is built, leaving none half-made', async () => {
    const url = await server.createDatabase();
    const run = bench(url, 200_000, ['--keep']);
    await run.reached(/loading 200000 rows/);
    run.kill('SIGINT');
    const exit = await run.exited;
    expect({ code: exit.code, said: /SIGINT: dropping the unfinished dataset scia_benchkeep_200000_/.test(exit.stderr), left: await leftovers(url) })
      .toEqual({ code: 130, said: true, left: { schemas: [], sessions: [] } });
  }, 120_000);
});
