import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TRANSPORTS, type Transport } from '@scia/runtime';
import { steadyRequests } from '../codec/requests.js';
import { IMAGE_NODE_FLAGS } from '../pipeline/main.js';
import { RawClient } from '../pipeline/load.js';
import { WireShuffler } from '../pipeline/shuffle.js';
import { STEPS } from '../pipeline/steady.js';
import { cpuMs, startFunctionProcess, type FunctionProcess } from '../support/processes.js';

// Compiled to bench/dist/<dir>/: the repository is three levels up.
const root = join(import.meta.dirname, '..', '..', '..');

/** Served is one transport's five no-op function processes, one per step, and a client for each. */
interface Served {
  /** label is the transport, with `@base` for the baseline checkout's. */
  label: string;
  transport: Transport;
  processes: FunctionProcess[];
  clients: RawClient[];
}

/** Window is one measured stretch: server CPU µs per call (all five processes), and runs (five calls each) per second. */
interface Window {
  usPerCall: number;
  runsPerSec: number;
}

/**
 * The transport bench serves the no-op function (test/support/noop-main.mjs,
 * which decodes each request and encodes its desired state back) on each
 * transport, five processes as the pipeline has, and sends each the steady
 * request of its step: whole runs of five calls, from `concurrency` loops at
 * once, in interleaved windows. What differs between transports is then the
 * transport alone; the requests are the same bytes every call (`--wire-order
 * fixed`, the default) so that the load generator's own CPU stays low.
 * `--cpu-prof-dir DIR` profiles every function process; `--baseline DIR`
 * serves another built checkout's no-op function beside each transport
 * (labelled `@base`), in the same interleaved windows.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' }, transports: { type: 'string', default: 'frames,http2' }, concurrency: { type: 'string', default: '1,8' },
      runs: { type: 'string', default: '400' }, reps: { type: 'string', default: '3' }, 'wire-order': { type: 'string', default: 'fixed' }, 'cpu-prof-dir': { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const transports = values.transports.split(',').map((t) => {
    const found = TRANSPORTS.find((k) => k === t.trim());
    if (found === undefined) throw new Error(`cannot bench: --transports takes a list of ${TRANSPORTS.join(', ')}, not ${JSON.stringify(values.transports)}`);
    return found;
  });
  const concurrencies = values.concurrency.split(',').map(Number);
  const runs = Number(values.runs);
  const reps = Number(values.reps);
  const requests = await steadyRequests(values.requests, say);
  const next = STEPS.map((s) => {
    const shuffler = new WireShuffler(requests[s]);
    return values['wire-order'] === 'shuffled' ? () => shuffler.next() : () => requests[s];
  });
  const profile = values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']];
  const served: Served[] = [];
  try {
    const checkouts = [{ dir: root, suffix: '' }, ...(values.baseline === undefined ? [] : [{ dir: resolve(values.baseline), suffix: '@base' }])];
    for (const transport of transports) {
      for (const { dir, suffix } of checkouts) {
        say(`starting the no-op functions of ${dir} on the ${transport} transport`);
        const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCIA_'))), SCIA_TRANSPORT: transport };
        const processes: FunctionProcess[] = [];
        for (const step of STEPS) processes.push(await startFunctionProcess(`no-op ${step}`, join(dir, 'test', 'support', 'noop-main.mjs'), env, { cwd: dir, nodeArgs: [...profile, ...IMAGE_NODE_FLAGS.split(' ')] }));
        served.push({ label: `${transport}${suffix}`, transport, processes, clients: processes.map((p) => new RawClient(p.address)) });
      }
    }
    const labels = served.map((s) => s.label);
    for (const s of served) await load(s, next, 8, 100); // warm-up, not counted
    const windows = new Map<string, Window[]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const c of concurrencies) {
        for (const s of rep % 2 === 0 ? served : [...served].reverse()) {
          const w = await measure(s, next, c, runs);
          say(`rep ${rep + 1}/${reps} ${s.label} c=${c}: ${w.usPerCall} µs CPU/call, ${w.runsPerSec} runs/s`);
          windows.set(`${s.label} ${c}`, [...(windows.get(`${s.label} ${c}`) ?? []), w]);
        }
      }
    }
    console.log(`transport: the no-op function on each transport, five processes, ${runs} runs of five calls per window, ${reps} interleaved windows, ${values['wire-order']} wire order; server CPU µs per call min / median / max`);
    console.log(`request bytes: ${STEPS.map((s) => `${s} ${requests[s].length}`).join(', ')}`);
    for (const c of concurrencies) {
      const last = labels[labels.length - 1] as string;
      const base = median((windows.get(`${last} ${c}`) ?? []).map((w) => w.usPerCall));
      for (const t of labels) {
        const ws = windows.get(`${t} ${c}`) ?? [];
        const us = ws.map((w) => w.usPerCall).sort((a, b) => a - b);
        console.log(`${t.padEnd(13)} c=${c}  µs CPU/call ${us[0]} / ${median(us)} / ${us[us.length - 1]}  runs/s ${median(ws.map((w) => w.runsPerSec))}  ratio to ${last} ${(median(us) / base).toFixed(2)}`);
      }
    }
  } finally {
    for (const s of served) {
      for (const c of s.clients) c.close();
      for (const p of s.processes) await p.stop();
    }
  }
}

async function load(s: Served, next: (() => Buffer)[], concurrency: number, runs: number): Promise<void> {
  let left = runs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) for (const [i, client] of s.clients.entries()) await client.run((next[i] as () => Buffer)());
  }));
}

async function measure(s: Served, next: (() => Buffer)[], concurrency: number, runs: number): Promise<Window> {
  const before = s.processes.map((p) => cpuMs(p.pid));
  const started = performance.now();
  await load(s, next, concurrency, runs);
  const seconds = (performance.now() - started) / 1000;
  const cpu = s.processes.reduce((sum, p, i) => sum + cpuMs(p.pid) - (before[i] ?? 0), 0);
  return { usPerCall: Math.round((cpu * 1000) / (runs * STEPS.length)), runsPerSec: Math.round(runs / seconds) };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

await main();
