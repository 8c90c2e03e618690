import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type * as runtime from '@scia/runtime';
import { Severity } from '@scia/runtime/step';
import { WireShuffler } from '../pipeline/shuffle.js';
import { STEPS, type Step } from '../pipeline/steady.js';
import { servedSteadyRequests, stepEnv } from '../codec/requests.js';
import { benchDatabase } from '../support/postgres.js';

/**
 * The steps bench: each of SCIA's five functions built in this process, as its
 * binary builds it (the same environment, store and data directory), called on
 * the request it receives on a steady reconcile, map entries shuffled afresh
 * per call as Go marshals them. It splits a call's CPU into decoding, the
 * step's `run` and encoding, beside a no-op that decodes the same request and
 * answers its desired state, so that a step's own work is measured without
 * the transport. `--baseline DIR` builds another checkout's functions beside
 * these, interleaved.
 */

type Runtime = typeof runtime;

interface Built {
  run(req: RunFunctionRequest, logger: runtime.StepLogger): Promise<RunFunctionResponse> | RunFunctionResponse;
  close(): Promise<void>;
}

interface Checkout {
  name: string;
  rt: Runtime;
  steps: Record<Step, Built>;
}

// Compiled to bench/dist/steps/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/** VARIANTS is how many differently shuffled copies of each step's request a window cycles through. */
const VARIANTS = 16;

async function load(name: string, dir: string, dataDir: string, url: string | undefined): Promise<Checkout> {
  const at = (...parts: string[]): string => pathToFileURL(join(dir, ...parts)).href;
  const rt = (await import(at('packages', 'runtime', 'dist', 'index.js'))) as Runtime;
  const steps = {} as Record<Step, Built>;
  for (const step of STEPS) {
    const mod = (await import(at('functions', step, 'dist', 'index.js'))) as { definition: runtime.FunctionDefinition };
    steps[step] = await mod.definition.build({ env: stepEnv(step, dataDir, url), logger: rt.quietLogger(), cwd: root });
  }
  return { name, rt, steps };
}

/** Phases is CPU-free wall time per phase, summed over a window's calls, in µs. */
interface Phases {
  decode: number;
  run: number;
  encode: number;
}

/** call decodes, runs and encodes once, adding each phase's wall time to `into`; it returns the response's bytes. */
async function call(c: Checkout, step: Step | 'no-op', bytes: Buffer, into: Phases): Promise<Uint8Array> {
  const t0 = performance.now();
  const req = c.rt.decodeRequest(bytes, 'lazy');
  const t1 = performance.now();
  const rsp = step === 'no-op' ? c.rt.respond(req, 60) : await c.steps[step].run(req, c.rt.quietLogger());
  const t2 = performance.now();
  const out = c.rt.encodeResponse(rsp);
  const t3 = performance.now();
  into.decode += (t1 - t0) * 1000;
  into.run += (t2 - t1) * 1000;
  into.encode += (t3 - t2) * 1000;
  return out;
}

interface Window {
  cpuUs: number;
  phases: Phases;
}

/** window calls one target on its request variants for about `ms` and returns CPU µs per call and wall µs per phase per call. */
async function window(c: Checkout, target: Step | 'no-op', step: Step, pool: Record<Step, Buffer[]>, ms: number): Promise<Window> {
  (globalThis as { gc?: () => void }).gc?.();
  const phases: Phases = { decode: 0, run: 0, encode: 0 };
  const until = performance.now() + ms;
  const cpu = process.cpuUsage();
  let n = 0;
  for (; performance.now() < until; n++) await call(c, target, pool[step][n % VARIANTS] as Buffer, phases);
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / n, phases: { decode: phases.decode / n, run: phases.run / n, encode: phases.encode / n } };
}

/** checkSteady refuses to time a step whose steady call reports anything but Normal results (a store down, a missing pin). */
async function checkSteady(c: Checkout, pool: Record<Step, Buffer[]>): Promise<void> {
  for (const step of STEPS) {
    for (const bytes of pool[step].slice(0, 3)) {
      const rsp = await c.steps[step].run(c.rt.decodeRequest(bytes, 'lazy'), c.rt.quietLogger());
      const bad = (rsp.results ?? []).find((r) => r.severity !== Severity.SEVERITY_NORMAL);
      if (bad !== undefined) throw new Error(`cannot bench ${c.name}'s ${step}: its steady call answers severity ${bad.severity}: ${bad.message}`);
    }
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function fmt(x: number): string {
  return x.toFixed(0).padStart(6);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string', default: process.env['SCIA_BENCH_BASELINE'] ?? '' },
      rounds: { type: 'string', default: '5' }, ms: { type: 'string', default: '400' },
      steps: { type: 'string', default: STEPS.join(',') },
    },
  });
  const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const chosen = values.steps.split(',').filter((s): s is Step => (STEPS as readonly string[]).includes(s));
  if (chosen.length === 0) throw new Error(`cannot bench: --steps takes a list of ${STEPS.join(', ')}`);
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'scia-bench-steps-'));
  const checkouts: Checkout[] = [];
  try {
    if (typeof db === 'string') say(`${db}; the store steps use PGlite each`);
    const url = typeof db === 'string' ? undefined : db.url;
    const requests = await servedSteadyRequests(dataDir, url, say);
    const pool = Object.fromEntries(STEPS.map((s) => {
      const shuffler = new WireShuffler(requests[s]);
      return [s, Array.from({ length: VARIANTS }, () => Buffer.from(shuffler.next()))];
    })) as Record<Step, Buffer[]>;
    checkouts.push(await load('this checkout', root, dataDir, url));
    if (values.baseline !== '') checkouts.push(await load(`baseline (${values.baseline})`, resolve(values.baseline), dataDir, url));
    for (const c of checkouts) await checkSteady(c, pool);
    const rounds = Number(values.rounds);
    const ms = Number(values.ms);
    const targets = chosen.flatMap((s) => [[s, s], ['no-op', s]] as Array<[Step | 'no-op', Step]>);
    say(`warming up, then ${rounds} interleaved rounds of ${ms} ms per checkout, step and no-op`);
    for (const c of checkouts) for (const [t, s] of targets) await window(c, t, s, pool, ms);
    const results = new Map<string, Window[]>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
      for (const [t, s] of targets) {
        for (const c of order) {
          const key = `${c.name}\t${t}\t${s}`;
          results.set(key, [...(results.get(key) ?? []), await window(c, t, s, pool, ms)]);
        }
      }
    }
    const lines = [
      `steps: each function built in process, steady requests shuffled per call; CPU µs per call, median (min-max) of ${rounds} rounds; wall µs per phase, median`,
      `request bytes: ${STEPS.map((s) => `${s} ${requests[s].length}`).join(', ')}`,
      `${'step'.padEnd(11)} ${'checkout'.padEnd(34)} ${'CPU'.padStart(6)} (range)      decode    run  encode   no-op CPU  over no-op`,
    ];
    const totals = new Map<string, { cpu: number; noop: number }>();
    for (const s of chosen) {
      for (const c of checkouts) {
        const ws = results.get(`${c.name}\t${s}\t${s}`) ?? [];
        const noop = results.get(`${c.name}\tno-op\t${s}`) ?? [];
        const cpu = median(ws.map((w) => w.cpuUs));
        const floor = median(noop.map((w) => w.cpuUs));
        const t = totals.get(c.name) ?? { cpu: 0, noop: 0 };
        totals.set(c.name, { cpu: t.cpu + cpu, noop: t.noop + floor });
        const range = `(${Math.min(...ws.map((w) => w.cpuUs)).toFixed(0)}-${Math.max(...ws.map((w) => w.cpuUs)).toFixed(0)})`;
        const ph = (k: keyof Phases): string => fmt(median(ws.map((w) => w.phases[k])));
        lines.push(`${s.padEnd(11)} ${c.name.slice(0, 34).padEnd(34)} ${fmt(cpu)} ${range.padEnd(12)} ${ph('decode')} ${ph('run')} ${ph('encode')}  ${fmt(floor)}     ${fmt(cpu - floor)}`);
      }
    }
    const mine = totals.get(checkouts[0]?.name ?? '');
    for (const c of checkouts) {
      const t = totals.get(c.name);
      if (t === undefined) continue;
      const ratio = c === checkouts[0] || mine === undefined ? '' : `  this/baseline ${(mine.cpu / t.cpu).toFixed(2)}x (over no-op ${((mine.cpu - mine.noop) / (t.cpu - t.noop)).toFixed(2)}x)`;
      lines.push(`${'all steps'.padEnd(11)} ${c.name.slice(0, 34).padEnd(34)} ${fmt(t.cpu)} no-op ${fmt(t.noop)} over no-op ${fmt(t.cpu - t.noop)}${ratio}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const c of checkouts) for (const s of STEPS) await c.steps[s].close();
    if (typeof db !== 'string') db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await main();
