import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPO = join(ROOT, 'examples', 'apps', 'flask-api');
const ARGS = ['decide', '--repo', REPO, '--prompt', 'small API for our mobile app'];
const ROUNDS = 3;

/** Checkout is a built checkout whose `bin/scia.js` is timed. */
interface Checkout {
  label: string;
  root: string;
}

interface Variant {
  name: string;
  note: string;
  checkout: Checkout;
  /** prepare returns the environment of one start, in a fresh working directory. */
  prepare(cwd: string): NodeJS.ProcessEnv;
  args: string[];
}

/**
 * benchFirstDecision times `scia decide` on a small repository end to end, as
 * a process, on the embedded defaults: the first decision of a checkout
 * (a fresh data directory, the cache as `npm run build` leaves it: the store
 * template and nothing else), a fresh store started from nothing (an empty
 * cache: initdb, migrations, seed), a store reopened, and the CLI's start
 * alone (`scia decide --help`) as the floor. SCIA_BENCH_BASELINE names
 * another built checkout (e.g. the main branch's) whose first decision and
 * floor are timed in the same rounds. Rounds interleave the variants; each
 * row gives the median with min and max.
 */
export function benchFirstDecision(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'scia-first-decision-'));
  try {
    const checkouts: Checkout[] = [{ label: '', root: ROOT }];
    const baseline = process.env['SCIA_BENCH_BASELINE'];
    if (baseline !== undefined && baseline !== '') checkouts.push({ label: ` [baseline ${baseline}]`, root: resolve(baseline) });
    // The cache as the build leaves it; every fresh store below starts from a copy of it.
    const built = join(work, 'built-cache');
    run(process.execPath, [join(ROOT, 'packages', 'rag', 'dist', 'template-main.js')], work, env({ SCIA_CACHE_DIR: built }));
    const reopened = join(work, 'reopened');
    time(checkouts[0] as Checkout, ARGS, work, env({ SCIA_CACHE_DIR: built, SCIA_DATA_DIR: reopened }));
    const variants: Variant[] = checkouts.flatMap((checkout) => [
      { name: 'scia decide --help (CLI start, floor)', note: 'no store, no analysis', checkout, args: ['decide', '--help'], prepare: () => env({}) },
      {
        name: 'scia decide: first decision of a checkout',
        note: 'new data directory, cache as npm run build leaves it (the store template)',
        checkout,
        args: ARGS,
        prepare: (cwd: string) => env({ SCIA_CACHE_DIR: copyOf(built, join(cwd, 'cache')), SCIA_DATA_DIR: join(cwd, 'data') }),
      },
    ]);
    variants.push(
      { name: 'scia decide: fresh store from nothing', note: 'new data directory, empty cache: initdb, migrations, seed', checkout: checkouts[0] as Checkout, args: ARGS, prepare: (cwd) => env({ SCIA_CACHE_DIR: join(cwd, 'cache'), SCIA_DATA_DIR: join(cwd, 'data') }) },
      { name: 'scia decide: store reopened', note: 'data directory of an earlier run', checkout: checkouts[0] as Checkout, args: ARGS, prepare: () => env({ SCIA_CACHE_DIR: built, SCIA_DATA_DIR: reopened }) },
    );
    const times = variants.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, v] of variants.entries()) {
        const cwd = mkdtempSync(join(work, 'run-'));
        times[i]?.push(time(v.checkout, v.args, cwd, v.prepare(cwd)));
        rmSync(cwd, { recursive: true, force: true });
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

function time(checkout: Checkout, args: string[], cwd: string, environment: NodeJS.ProcessEnv): number {
  const scia = join(checkout.root, 'bin', 'scia.js');
  if (!existsSync(scia)) throw new Error(`cannot time ${checkout.root}: no bin/scia.js there`);
  const started = performance.now();
  run(process.execPath, [scia, ...args], cwd, environment);
  return performance.now() - started;
}

function run(command: string, args: string[], cwd: string, environment: NodeJS.ProcessEnv): void {
  const done = spawnSync(command, args, { cwd, env: environment, encoding: 'utf8', timeout: 180_000 });
  if (done.status !== 0) throw new Error(`cannot run ${args.join(' ')}: exit ${String(done.status)}\n${done.stderr}`);
}

function row(v: Variant, ms: number[]): BenchRow {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const r = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(0));
  return {
    name: `${v.name}${v.checkout.label}`,
    ops: Number((1000 / median).toFixed(2)),
    p50Ms: Number(median.toFixed(1)),
    p95Ms: Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)),
    note: `${v.note}; min ${r(sorted[0])} median ${r(median)} max ${r(sorted[sorted.length - 1])} ms over ${ms.length} interleaved runs`,
  };
}
