import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabase } from '../support/postgres.js';
import { startFunctionProcess, type FunctionProcess } from '../support/processes.js';
import { RawClient, measureWindow, type Requests, type Target, type Window } from '../pipeline/load.js';
import { WireShuffler } from '../pipeline/shuffle.js';
import { NOW, STEPS, reachSteady, type Step } from '../pipeline/steady.js';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/**
 * The pipeline bench (bench/pipeline) for a change to the runtime: SCIA's
 * five functions and five no-op functions from this checkout, and the same
 * from a baseline checkout (built: `npx tsc -b` there), all on the lean
 * transport with the images' node flags, fed the same steady requests
 * (entries shuffled per call), windows interleaved and their order reversed
 * every other repetition. Prints CPU ms per five-step run, and each figure
 * over the baseline's from the same repetition.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' }, concurrency: { type: 'string', default: '8' }, seconds: { type: 'string', default: '4' },
      reps: { type: 'string', default: '3' }, warmup: { type: 'string', default: '1000' },
    },
  });
  if (values.baseline === undefined) throw new Error('cannot bench: --baseline names a built checkout to compare with');
  const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-bench-codec-pipeline-'));
  const targets: Target[] = [];
  try {
    const url = typeof db === 'string' ? undefined : db.url;
    if (typeof db === 'string') say(`${db}; the store steps use PGlite each`);
    const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIA_')));
    const env = (dir: string): NodeJS.ProcessEnv => ({ ...keep, SCIA_NOW: NOW, SCIA_WIRE_CODEC: 'lazy', SCIA_TRANSPORT: 'http2', SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dir, ...(url === undefined ? {} : { SCIA_DATABASE_URL: url }) });
    for (const [label, base] of [['this', root], ['baseline', resolve(values.baseline)]] as const) {
      for (const kind of ['scia', 'no-op'] as const) {
        say(`starting ${kind} (${label})`);
        const processes = {} as Record<Step, FunctionProcess>;
        for (const s of STEPS) {
          const script = kind === 'scia' ? join(base, 'functions', s, 'dist', 'main.js') : join(base, 'test', 'support', 'noop-main.mjs');
          processes[s] = await startFunctionProcess(`${kind} ${s}`, script, env(join(dataDir, `${label}-${kind}-${s}`)), { cwd: base, nodeArgs: ['--max-semi-space-size=4'] });
        }
        targets.push({ name: `${kind} (${label})`, processes, clients: Object.fromEntries(STEPS.map((s) => [s, new RawClient(processes[s].address)])) as Record<Step, RawClient> });
      }
    }
    say('reconciling the claim until steady');
    const steady = await reachSteady(Object.fromEntries(STEPS.map((s) => [s, targets[0]?.processes[s].address ?? ''])) as Record<Step, string>);
    const requests = Object.fromEntries(STEPS.map((s) => {
      const shuffler = new WireShuffler(steady.requests[s]);
      return [s, () => shuffler.next()];
    })) as Requests;
    const windows: Window[] = [];
    const reps = Number(values.reps);
    for (let rep = 0; rep < reps; rep++) {
      for (const c of values.concurrency.split(',').map(Number)) {
        for (const t of rep % 2 === 0 ? targets : [...targets].reverse()) {
          const w = await measureWindow(t, requests, c, Number(values.seconds), Number(values.warmup));
          say(`rep ${rep + 1}/${reps} ${t.name} c=${c}: ${w.cpuMsPerRun.total} ms CPU/run`);
          windows.push(w);
        }
      }
    }
    process.stdout.write(`${report(windows, reps)}\n`);
  } finally {
    for (const t of targets) {
      for (const s of STEPS) t.clients[s].close();
      await Promise.all(STEPS.map((s) => t.processes[s].stop()));
    }
    if (typeof db !== 'string') db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** report prints, per concurrency and target, CPU ms per run (median of the repetitions, total and per step) and the median of this/baseline ratios taken within each repetition. */
function report(windows: Window[], reps: number): string {
  const lines = [`CPU ms per five-step run, median of ${reps} interleaved repetitions (min-max); ratio: this over baseline within each repetition, median`];
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  for (const c of [...new Set(windows.map((w) => w.concurrency))]) {
    for (const kind of ['scia', 'no-op']) {
      const mine = windows.filter((w) => w.concurrency === c && w.target === `${kind} (this)`);
      const base = windows.filter((w) => w.concurrency === c && w.target === `${kind} (baseline)`);
      const ratios = mine.map((w, i) => w.cpuMsPerRun.total / (base[i]?.cpuMsPerRun.total ?? Number.NaN));
      for (const [label, ws] of [['this', mine], ['baseline', base]] as const) {
        const totals = ws.map((w) => w.cpuMsPerRun.total);
        const steps = STEPS.map((s) => `${s} ${median(ws.map((w) => w.cpuMsPerRun[s])).toFixed(2)}`).join(', ');
        lines.push(`c=${c} ${`${kind} (${label})`.padEnd(17)} ${median(totals).toFixed(2)} (${Math.min(...totals).toFixed(2)}-${Math.max(...totals).toFixed(2)})  runs/s ${median(ws.map((w) => w.runsPerSec)).toFixed(1)}  per step: ${steps}`);
      }
      lines.push(`c=${c} ${kind} this/baseline ${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
    }
  }
  return lines.join('\n');
}

if (process.argv[1] === import.meta.filename) await main();
