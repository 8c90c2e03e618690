import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ContextKey } from '@scia/api';
import * as current from '@scia/runtime';
import { WireShuffler } from '../pipeline/shuffle.js';
import { STEPS, type Step } from '../pipeline/steady.js';
import { saveRequests, steadyRequests } from './requests.js';

type Runtime = typeof current;

/** Scenario is what one call does with a request between decoding it and encoding its response. */
type Scenario = (rt: Runtime, bytes: Buffer) => Uint8Array;

/**
 * SCENARIOS: `no-op` answers with the request's desired state and context, as
 * the pipeline bench's no-op functions do; `context step` reads one context
 * key whole and sets another, as retrieve and decide do; `status step` sets
 * one field of the desired XR's status, keeping those earlier steps set, as
 * decide, render-aws and record do; `reads all` reads
 * every observed resource and the context whole (what laziness must not make
 * dearer).
 */
const SCENARIOS: Record<string, Scenario> = {
  'no-op': (rt, bytes) => rt.encodeResponse(rt.respond(rt.decodeRequest(bytes, 'lazy'), 60)),
  'context step': (rt, bytes) => {
    const req = rt.decodeRequest(bytes, 'lazy');
    const rsp = rt.respond(req, 60);
    const read = JSON.stringify(req.context?.[ContextKey.analysis] ?? null);
    rt.setContext(rsp, 'bench.scia.io/read', { length: read.length });
    return rt.encodeResponse(rsp);
  },
  'status step': (rt, bytes) => {
    const rsp = rt.respond(rt.decodeRequest(bytes, 'lazy'), 60);
    rt.mergeDesiredStatus(rsp, { bench: { step: 'status' } });
    return rt.encodeResponse(rsp);
  },
  'reads all': (rt, bytes) => {
    const req = rt.decodeRequest(bytes, 'lazy');
    const read = JSON.stringify(req.observed) + JSON.stringify(req.context ?? null) + JSON.stringify(req.desired);
    const rsp = rt.respond(req, 60);
    rt.setContext(rsp, 'bench.scia.io/read', { length: read.length });
    return rt.encodeResponse(rsp);
  },
};

/** VARIANTS is how many differently shuffled copies of each step's request a window cycles through. */
const VARIANTS = 16;

interface Impl {
  name: string;
  rt: Runtime;
}

/** window runs `scenario` over every step's request variants for about `ms` of wall time and returns CPU µs per five-step run. */
function window(impl: Impl, scenario: Scenario, pool: Record<Step, Buffer[]>, ms: number): number {
  (globalThis as { gc?: () => void }).gc?.();
  const until = performance.now() + ms;
  const cpu = process.cpuUsage();
  let runs = 0;
  for (; performance.now() < until; runs++) {
    for (const s of STEPS) scenario(impl.rt, pool[s][runs % VARIANTS] as Buffer);
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / runs;
}

/** checkSame refuses to time implementations that answer any request differently. */
function checkSame(impls: Impl[], pool: Record<Step, Buffer[]>): void {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    for (const s of STEPS) {
      for (const bytes of pool[s].slice(0, 4)) {
        const [first, ...rest] = impls.map((i) => Buffer.from(scenario(i.rt, bytes)));
        const other = rest.findIndex((b) => !b.equals(first as Buffer));
        if (other >= 0) throw new Error(`cannot bench: ${impls[other + 1]?.name} answers ${s} (${name}) differently from ${impls[0]?.name}`);
      }
    }
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' }, rounds: { type: 'string', default: '7' }, ms: { type: 'string', default: '400' },
      requests: { type: 'string' }, save: { type: 'string' }, scenarios: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
    },
  });
  const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const requests = await steadyRequests(values.requests, say);
  if (values.save !== undefined) saveRequests(values.save, requests);
  const pool = Object.fromEntries(STEPS.map((s) => {
    const shuffler = new WireShuffler(requests[s]);
    return [s, Array.from({ length: VARIANTS }, () => Buffer.from(shuffler.next()))];
  })) as Record<Step, Buffer[]>;
  const impls: Impl[] = [{ name: 'this checkout', rt: current }];
  if (values.baseline !== undefined) {
    const url = pathToFileURL(join(resolve(values.baseline), 'packages', 'runtime', 'dist', 'index.js')).href;
    impls.push({ name: `baseline (${values.baseline})`, rt: (await import(url)) as Runtime });
  }
  checkSame(impls, pool);
  const chosen = Object.entries(SCENARIOS).filter(([name]) => values.scenarios.split(',').includes(name));
  if (chosen.length === 0) throw new Error(`cannot bench: --scenarios takes a list of ${Object.keys(SCENARIOS).join(', ')}`);
  const rounds = Number(values.rounds);
  const ms = Number(values.ms);
  const results = new Map<string, number[]>();
  say(`warming up, then ${rounds} interleaved rounds of ${ms} ms per implementation and scenario`);
  for (const impl of impls) for (const [, scenario] of chosen) window(impl, scenario, pool, ms);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? impls : [...impls].reverse();
    for (const [name, scenario] of chosen) {
      for (const impl of order) {
        const key = `${name}\t${impl.name}`;
        results.set(key, [...(results.get(key) ?? []), window(impl, scenario, pool, ms)]);
      }
    }
  }
  const bytes = STEPS.map((s) => `${s} ${requests[s].length}`).join(', ');
  const lines = [`codec: decode + encode in process, CPU µs per five-step run (median, min-max of ${rounds} rounds); request bytes: ${bytes}`];
  for (const [name] of chosen) {
    const medians = impls.map((i) => median(results.get(`${name}\t${i.name}`) ?? []));
    for (const [i, impl] of impls.entries()) {
      const xs = results.get(`${name}\t${impl.name}`) ?? [];
      const ratio = i === 0 || medians[i] === undefined ? '' : `  this/baseline ${((medians[0] ?? 0) / (medians[i] ?? 1)).toFixed(2)}x`;
      lines.push(`${name.padEnd(13)} ${impl.name.padEnd(40)} ${median(xs).toFixed(0).padStart(6)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})${ratio}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] === import.meta.filename) await main();
