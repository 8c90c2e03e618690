import * as grpc from '@grpc/grpc-js';
import { RUN_FUNCTION_V1 } from '@scia/runtime';
import { cpuMs, memoryMiB, type FunctionProcess } from '../support/processes.js';
import { percentile } from '../measure.js';
import { STEPS, type Step } from './steady.js';

const identity = (b: Buffer): Buffer => b;

/** RawClient sends encoded requests and takes encoded responses: the load generator's own CPU stays off the measurement. */
export class RawClient {
  readonly #client: grpc.Client;

  constructor(address: string) {
    this.#client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  }

  run(bytes: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(RUN_FUNCTION_V1, identity, identity, bytes, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, rsp) => {
        if (err !== null) reject(err);
        else resolve(rsp ?? Buffer.alloc(0));
      });
    });
  }

  close(): void {
    this.#client.close();
  }
}

/** Target is one set of five function processes (SCIA's or no-ops) and a client for each. */
export interface Target {
  name: string;
  processes: Record<Step, FunctionProcess>;
  clients: Record<Step, RawClient>;
}

/** Window is one measured run of a target at a concurrency. */
export interface Window {
  target: string;
  concurrency: number;
  runs: number;
  seconds: number;
  runsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  /** cpuMsPerRun is each function's CPU time per pipeline run; `total` sums them. */
  cpuMsPerRun: Record<Step | 'total', number>;
  /** coreShare is each function's CPU time over the window's wall time (1 = one core). */
  coreShare: Record<Step, number>;
  /** rssMiB is each function's largest resident set sampled during the window (every RSS_SAMPLE_MS). */
  rssMiB: Record<Step, number>;
}

/** RSS_SAMPLE_MS is how often a window reads its processes' resident sets. */
const RSS_SAMPLE_MS = 100;

/** Requests gives each step's request for one call: the steady request, its map entries shuffled afresh per call unless the wire order is fixed. */
export type Requests = Record<Step, () => Buffer>;

/** runOnce sends one pipeline run: the five steps in order, each waiting for the one before, as Crossplane calls them. */
async function runOnce(target: Target, requests: Requests): Promise<void> {
  for (const step of STEPS) await target.clients[step].run(requests[step]());
}

/**
 * measureWindow runs `concurrency` loops of whole pipeline runs against
 * `target`: `warmupMs` first (not counted), then `seconds` measured. Runs/s is
 * the runs completed inside the window over its wall time; CPU is read from
 * each process before and after the window, RSS sampled through it.
 */
export async function measureWindow(target: Target, requests: Requests, concurrency: number, seconds: number, warmupMs: number): Promise<Window> {
  const pids = STEPS.map((s) => target.processes[s].pid);
  let phase: 'warmup' | 'measure' | 'done' = 'warmup';
  const durations: number[] = [];
  let cpuBefore: number[] = [];
  let started = 0n;
  const loop = async (): Promise<void> => {
    while (phase !== 'done') {
      const t0 = process.hrtime.bigint();
      const counted = phase === 'measure';
      await runOnce(target, requests);
      // A run counts only when it started and ended inside the window.
      if (counted && phase === 'measure') durations.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(warmupMs);
  cpuBefore = pids.map(cpuMs);
  started = process.hrtime.bigint();
  phase = 'measure';
  const rss = pids.map((p) => memoryMiB(p).rss);
  const sample = (): void => pids.forEach((p, i) => { rss[i] = Math.max(rss[i] ?? 0, memoryMiB(p).rss); });
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  await sleep(seconds * 1000);
  phase = 'done';
  clearInterval(sampler);
  sample();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = pids.map(cpuMs);
  await Promise.all(loops);
  durations.sort((a, b) => a - b);
  const runs = durations.length;
  const per = (i: number): number => ((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0));
  const cpuMsPerRun = Object.fromEntries([...STEPS.map((s, i) => [s, round(per(i) / Math.max(1, runs))]), ['total', round(STEPS.reduce((sum, _s, i) => sum + per(i), 0) / Math.max(1, runs))]]) as Window['cpuMsPerRun'];
  return {
    target: target.name, concurrency, runs, seconds: round(wallMs / 1000), runsPerSec: round((runs * 1000) / wallMs),
    p50Ms: round(percentile(durations, 0.5)), p95Ms: round(percentile(durations, 0.95)), cpuMsPerRun,
    coreShare: Object.fromEntries(STEPS.map((s, i) => [s, round(per(i) / wallMs)])) as Record<Step, number>,
    rssMiB: Object.fromEntries(STEPS.map((s, i) => [s, Math.round(rss[i] ?? 0)])) as Record<Step, number>,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
