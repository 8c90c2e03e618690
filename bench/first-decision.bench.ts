import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCIA = join(ROOT, 'bin', 'scia.js');
const ARGS = ['decide', '--repo', join(ROOT, 'examples', 'apps', 'flask-api'), '--prompt', 'small API for our mobile app'];
const ROUNDS = 3;

interface Variant {
  name: string;
  note: string;
  /** prepare returns the environment of one start, in a fresh working directory unless said otherwise. */
  prepare(cwd: string): NodeJS.ProcessEnv;
  args: string[];
}

/**
 * benchFirstDecision times `scia decide` on a small repository end to end, as a
 * process, on the embedded defaults: a fresh store (its own data directory)
 * started from a store template, beside a fresh store started from nothing
 * (the figure before templates), a store reopened, and the CLI's start alone
 * (`scia decide --help`) as the floor. Rounds interleave the variants; each
 * row gives the median with min and max.
 */
export function benchFirstDecision(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'scia-first-decision-'));
  try {
    const templates = join(work, 'templates');
    // One run leaves the template in its cache; every fresh store below starts from a copy of it.
    time(ARGS, work, env({ SCIA_CACHE_DIR: templates, SCIA_DATA_DIR: join(work, 'warm') }));
    const reopened = join(work, 'reopened');
    time(ARGS, work, env({ SCIA_CACHE_DIR: templates, SCIA_DATA_DIR: reopened }));
    const variants: Variant[] = [
      { name: 'scia decide --help (CLI start, floor)', note: 'no store, no analysis', args: ['decide', '--help'], prepare: () => env({}) },
      { name: 'scia decide: fresh store from its template', note: 'new data directory, template in SCIA_CACHE_DIR', args: ARGS, prepare: (cwd) => env({ SCIA_CACHE_DIR: copyOf(templates, join(cwd, 'cache')), SCIA_DATA_DIR: join(cwd, 'data') }) },
      { name: 'scia decide: fresh store from nothing', note: 'new data directory, empty cache: initdb, migrations, seed', args: ARGS, prepare: (cwd) => env({ SCIA_CACHE_DIR: join(cwd, 'cache'), SCIA_DATA_DIR: join(cwd, 'data') }) },
      { name: 'scia decide: store reopened', note: 'data directory of an earlier run', args: ARGS, prepare: () => env({ SCIA_CACHE_DIR: templates, SCIA_DATA_DIR: reopened }) },
    ];
    const times = variants.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, v] of variants.entries()) {
        const cwd = mkdtempSync(join(work, 'run-'));
        times[i]?.push(time(v.args, cwd, v.prepare(cwd)));
      }
    }
    return Promise.resolve(variants.map((v, i) => row(v, times[i] ?? [])));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Decisions are kept by input hash in SCIA_DATA_DIR: each fresh directory decides anew.
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/nonexistent', ...extra };
}

function copyOf(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) copyFileSync(join(from, f), join(to, f));
  return to;
}

function time(args: string[], cwd: string, environment: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [SCIA, ...args], { cwd, env: environment, encoding: 'utf8', timeout: 180_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`cannot run scia ${args.join(' ')}: exit ${String(run.status)}\n${run.stderr}`);
  return ms;
}

function row(v: Variant, ms: number[]): BenchRow {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const r = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(0));
  return { name: v.name, ops: Number((1000 / median).toFixed(2)), p50Ms: Number(median.toFixed(1)), p95Ms: Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)), note: `${v.note}; min ${r(sorted[0])} median ${r(median)} max ${r(sorted[sorted.length - 1])} ms over ${ms.length} interleaved runs` };
}
