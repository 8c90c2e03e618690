import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { benchDatabase } from '../support/postgres.js';
import { startFunctionProcess, memoryMiB, type FunctionProcess } from '../support/processes.js';
import { RawClient, measureWindow, type Target, type Window } from './load.js';
import { NOW, STEPS, reachSteady, type Step } from './steady.js';
import { summarize, type PipelineReport } from './report.js';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/** PipelineOptions: concurrencies, seconds per window, repetitions, and where --cpu-prof writes profiles of SCIA's functions. */
export interface PipelineOptions {
  concurrency: number[];
  seconds: number;
  warmupMs: number;
  reps: number;
  cpuProfDir?: string;
  progress?: (line: string) => void;
}

function stepEnv(databaseUrl: string | undefined, dataDir: string): NodeJS.ProcessEnv {
  // Only what the bench names: the machine's own SCIA_* variables stay out.
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIA_')));
  return { ...keep, SCIA_NOW: NOW, SCIA_ALLOW_LOCAL_REPOS: 'true', SCIA_DATA_DIR: dataDir, ...(databaseUrl === undefined ? {} : { SCIA_DATABASE_URL: databaseUrl }) };
}

async function startTarget(name: string, script: (s: Step) => string, env: (s: Step) => NodeJS.ProcessEnv, nodeArgs: string[]): Promise<Target> {
  const processes = {} as Record<Step, FunctionProcess>;
  for (const step of STEPS) processes[step] = await startFunctionProcess(`${name} ${step}`, script(step), env(step), { cwd: root, nodeArgs });
  const clients = Object.fromEntries(STEPS.map((s) => [s, new RawClient(processes[s].address)])) as Record<Step, RawClient>;
  return { name, processes, clients };
}

async function stopTarget(t: Target | undefined): Promise<void> {
  if (t === undefined) return;
  for (const s of STEPS) t.clients[s].close();
  await Promise.all(STEPS.map((s) => t.processes[s].stop()));
}

/** checkResponses refuses a steady request set that any SCIA step answers with a Fatal result. */
async function checkResponses(t: Target, requests: Record<Step, Buffer>): Promise<void> {
  for (const step of STEPS) {
    const rsp = RunFunctionResponse.decode(await t.clients[step].run(requests[step]));
    const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    if (fatal !== undefined) throw new Error(`cannot bench: ${step} answers the steady request with a Fatal result: ${fatal.message}`);
  }
}

/**
 * runPipelineBench serves SCIA's five functions and five no-op functions as
 * separate processes on loopback, reconciles the auto-decision claim until
 * steady, and then runs whole five-step pipeline runs with those steady
 * requests against both sets, interleaved: for each repetition, each
 * concurrency, SCIA then no-op (reversed every other repetition).
 */
export async function runPipelineBench(opts: PipelineOptions): Promise<PipelineReport> {
  const say = opts.progress ?? (() => undefined);
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-bench-pipeline-'));
  let scia: Target | undefined;
  let noop: Target | undefined;
  try {
    const url = typeof db === 'string' ? undefined : db.url;
    if (typeof db === 'string') say(`${db}; the store steps share nothing (PGlite per process)`);
    const profile = opts.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir];
    say('starting the functions');
    scia = await startTarget('scia', (s) => join(root, 'functions', s, 'dist', 'main.js'), (s) => stepEnv(url, url === undefined ? join(dataDir, s) : dataDir), profile);
    noop = await startTarget('no-op', () => join(root, 'test', 'support', 'noop-main.mjs'), () => stepEnv(undefined, dataDir), []);
    const idle = Object.fromEntries(STEPS.map((s) => [s, Math.round(memoryMiB((scia as Target).processes[s].pid).rss)])) as Record<Step, number>;
    say('reconciling the claim until steady');
    const steady = await reachSteady(Object.fromEntries(STEPS.map((s) => [s, (scia as Target).processes[s].address])) as Record<Step, string>);
    const requests = Object.fromEntries(STEPS.map((s) => [s, Buffer.from(steady.requests[s])])) as Record<Step, Buffer>;
    await checkResponses(scia, requests);
    const windows: Window[] = [];
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const c of opts.concurrency) {
        const order = rep % 2 === 0 ? [scia, noop] : [noop, scia];
        for (const t of order) {
          const w = await measureWindow(t, requests, c, opts.seconds, opts.warmupMs);
          say(`rep ${rep + 1}/${opts.reps} ${t.name} c=${c}: ${w.runsPerSec} runs/s, ${w.cpuMsPerRun.total} ms CPU/run`);
          windows.push(w);
        }
      }
    }
    return summarize({
      database: typeof db === 'string' ? 'PGlite per process' : db.source,
      requestBytes: Object.fromEntries(STEPS.map((s) => [s, requests[s].length])) as Record<Step, number>,
      composed: steady.composed, reconciles: steady.reconciles, idleRssMiB: idle, windows, opts,
    });
  } finally {
    await stopTarget(scia);
    await stopTarget(noop);
    if (typeof db !== 'string') db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '1,8,32' }, seconds: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1000' },
      reps: { type: 'string', default: '3' }, 'cpu-prof-dir': { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const report = await runPipelineBench({
    concurrency: values.concurrency.split(',').map(Number), seconds: Number(values.seconds), warmupMs: Number(values.warmup), reps: Number(values.reps),
    ...(values['cpu-prof-dir'] === undefined ? {} : { cpuProfDir: values['cpu-prof-dir'] }),
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.text}\n`);
}

if (process.argv[1] === import.meta.filename) await main();
