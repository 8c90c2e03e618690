import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.js';

/** BenchDatabase is a PostgreSQL with pgvector to bench against, and how to let it go. */
export interface BenchDatabase {
  url: string;
  /** source says where it came from, for the report. */
  source: string;
  close(): void;
}

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/**
 * benchDatabase is SCIA_BENCH_DATABASE_URL when set, else a throwaway cluster
 * (scripts/pg-throwaway.sh, on a free port, stopped and removed by close, on
 * exit and on SIGINT/SIGTERM), else undefined with the reason.
 */
export async function benchDatabase(): Promise<BenchDatabase | string> {
  const url = process.env['SCIA_BENCH_DATABASE_URL'];
  if (url !== undefined && url !== '') return { url, source: 'SCIA_BENCH_DATABASE_URL', close: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'scia-bench-pg-'));
  const script = join(root, 'scripts', 'pg-throwaway.sh');
  let started: string;
  try {
    started = execFileSync('bash', [script, 'start', dir, String(await freePort())], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `no PostgreSQL to bench against (set SCIA_BENCH_DATABASE_URL or run scripts/setup-postgres.sh): ${(err as Error).message.split('\n')[0] ?? ''}`;
  }
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', close);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      close();
      process.exit(130);
    });
  }
  return { url: started, source: 'a throwaway cluster (scripts/pg-throwaway.sh)', close };
}
