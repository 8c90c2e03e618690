import type { BenchRow } from '../measure.js';
import type { Window } from './load.js';
import { STEPS, type Step } from './steady.js';

/** Spread is a figure over the repetitions: min, median, max. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** PipelineRow sums one target at one concurrency over the repetitions. */
export interface PipelineRow {
  target: string;
  concurrency: number;
  runsPerSec: Spread;
  p50Ms: Spread;
  p95Ms: Spread;
  cpuMsPerRun: Spread;
  /** stepCpuMsPerRun is each function's CPU per run, median over the repetitions. */
  stepCpuMsPerRun: Record<Step, number>;
  /** maxCoreShare is each function's busiest window: CPU time over wall time (1 = one core). */
  maxCoreShare: Record<Step, number>;
  maxRssMiB: Record<Step, number>;
}

export interface PipelineReport {
  database: string;
  requestBytes: Record<Step, number>;
  /** wireOrder: whether each call's map entries were shuffled afresh (see WireShuffler) or the same bytes resent. */
  wireOrder: 'shuffled' | 'fixed';
  /** shufflePool: how many shuffled encodings of each request were made before measuring and sent in turn (0: each call shuffled afresh, or `fixed`). */
  shufflePool: number;
  /** bundled: whether the functions ran as the images' bundles (--bundled) or as compiled in the checkout. */
  bundled: boolean;
  composed: number;
  reconciles: number;
  /** idleRssMiB is each target's functions' resident sets once started, before any call. */
  idleRssMiB: Record<string, Record<Step, number>>;
  /** afterLoadRssMiB is the same after the last window, once the functions have rested. */
  afterLoadRssMiB: Record<string, Record<Step, number>>;
  rows: PipelineRow[];
  windows: Window[];
  text: string;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length === 0 ? Number.NaN : s.length % 2 === 1 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
  return { min: s[0] ?? Number.NaN, median: Math.round(mid * 1000) / 1000, max: s[s.length - 1] ?? Number.NaN };
}

const fmt = (s: Spread, digits = 1): string => `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;

/** summarize groups the windows by target and concurrency and prints them beside each other. */
export function summarize(input: Omit<PipelineReport, 'rows' | 'text'> & { opts: { seconds: number; warmupMs: number; reps: number } }): PipelineReport {
  const { opts, ...rest } = input;
  const rows: PipelineRow[] = [];
  for (const c of [...new Set(rest.windows.map((w) => w.concurrency))]) {
    for (const target of [...new Set(rest.windows.map((w) => w.target))]) {
      const ws = rest.windows.filter((w) => w.concurrency === c && w.target === target);
      rows.push({
        target, concurrency: c,
        runsPerSec: spread(ws.map((w) => w.runsPerSec)), p50Ms: spread(ws.map((w) => w.p50Ms)), p95Ms: spread(ws.map((w) => w.p95Ms)),
        cpuMsPerRun: spread(ws.map((w) => w.cpuMsPerRun.total)),
        stepCpuMsPerRun: Object.fromEntries(STEPS.map((s) => [s, spread(ws.map((w) => w.cpuMsPerRun[s])).median])) as Record<Step, number>,
        maxCoreShare: Object.fromEntries(STEPS.map((s) => [s, Math.max(...ws.map((w) => w.coreShare[s]))])) as Record<Step, number>,
        maxRssMiB: Object.fromEntries(STEPS.map((s) => [s, Math.max(...ws.map((w) => w.rssMiB[s]))])) as Record<Step, number>,
      });
    }
  }
  const lines = [
    `pipeline: five steps over gRPC on loopback, one process per function${rest.bundled ? ', each bundled as its image runs it' : ', as compiled in the checkout (--bundled runs the images\' bundles)'}; store: ${rest.database}`,
    `steady requests after ${rest.reconciles} reconciles, ${rest.composed} composed resources observed; bytes per step: ${STEPS.map((s) => `${s} ${rest.requestBytes[s]}`).join(', ')}`,
    `wire order: ${rest.wireOrder === 'fixed' ? 'the same bytes for every call' : rest.shufflePool === 0 ? 'map entries shuffled afresh for every call, as Go marshals them' : `map entries in a new order on every call, as Go marshals them, from ${rest.shufflePool} shuffled encodings of each request made before measuring and sent in turn`}; targets named /sdk run the SDK's codec (SCIA_WIRE_CODEC=sdk), the others the lazy one; /grpc-js ones grpc-js's server (SCIA_TRANSPORT=grpc-js), /frames ones the lean server framing HTTP/2 itself (SCIA_TRANSPORT=frames), the others the lean node:http2 one; other suffixes name node flags (semiN: --max-semi-space-size=N) and environment (arenaN: MALLOC_ARENA_MAX=N); @base ones the --baseline checkout's functions`,
    `${opts.reps} interleaved repetitions of ${opts.seconds} s per window after ${opts.warmupMs} ms of warm-up (not counted); figures are min / median / max`,
    `RSS MiB per function (${STEPS.join(', ')}): idle when started; at rest after the load; the largest sampled in each window (max RSS)`,
    ...Object.keys(rest.idleRssMiB).map((t) => `${t.padEnd(13)} idle ${STEPS.map((s) => rest.idleRssMiB[t]?.[s]).join(' ')}; after load ${STEPS.map((s) => rest.afterLoadRssMiB[t]?.[s]).join(' ')}`),
    '',
    ...rows.flatMap((r) => [
      `${r.target.padEnd(13)} c=${String(r.concurrency).padEnd(3)} runs/s ${fmt(r.runsPerSec)}  p50 ms ${fmt(r.p50Ms, 2)}  p95 ms ${fmt(r.p95Ms, 2)}  CPU ms/run ${fmt(r.cpuMsPerRun, 2)}`,
      `      per step CPU ms/run ${STEPS.map((s) => `${s} ${r.stepCpuMsPerRun[s].toFixed(2)}`).join(', ')}`,
      `      max core share ${STEPS.map((s) => `${s} ${r.maxCoreShare[s].toFixed(2)}`).join(', ')}; max RSS MiB ${STEPS.map((s) => `${s} ${r.maxRssMiB[s]}`).join(', ')}`,
    ]),
    ...baseRatios(rest.windows),
    '',
    `largest RSS MiB under load, over every window (${STEPS.join(', ')}):`,
    ...[...new Set(rows.map((r) => r.target))].map((t) => {
      const peak = STEPS.map((s) => Math.max(...rows.filter((r) => r.target === t).map((r) => r.maxRssMiB[s])));
      return `${t.padEnd(13)} ${peak.join(' ')} (largest ${Math.max(...peak)})`;
    }),
  ];
  return { ...rest, rows, text: lines.join('\n') };
}

/**
 * baseRatios prints, for each target served beside its `@base` twin (and
 * for one on the frames or grpc-js transport, beside its http2 twin), CPU per
 * run over the twin's within each repetition (the n-th window of one over the
 * n-th of the other at the same concurrency): median (min-max). Empty when
 * no target has a twin.
 */
function baseRatios(windows: Window[]): string[] {
  const lines: string[] = [];
  for (const c of [...new Set(windows.map((w) => w.concurrency))]) {
    for (const target of [...new Set(windows.map((w) => w.target))].filter((t) => !t.endsWith('@base'))) {
      const mine = windows.filter((w) => w.concurrency === c && w.target === target);
      // A target's twins: the baseline's same target, and for one on another transport, the same target on http2.
      const twins = [`${target}@base`, ...(target.includes('/') ? [target.replace(/\/(frames|grpc-js)\b/, '')] : [])].filter((t) => t !== target);
      for (const twin of twins) {
        const base = windows.filter((w) => w.concurrency === c && w.target === twin);
        if (base.length === 0) continue;
        const ratios = spread(mine.map((w, i) => w.cpuMsPerRun.total / (base[i]?.cpuMsPerRun.total ?? Number.NaN)));
        lines.push(`${target.padEnd(13)} c=${String(c).padEnd(3)} CPU/run over ${twin} in the same repetition: ${ratios.median.toFixed(2)}x (${ratios.min.toFixed(2)}-${ratios.max.toFixed(2)})`);
      }
    }
  }
  return lines.length === 0 ? [] : ['', ...lines];
}

/** benchRows turns the report into `npm run bench` rows, each SCIA row beside the no-op row of the same concurrency. */
export function benchRows(report: PipelineReport): BenchRow[] {
  return report.rows.map((r) => {
    const floor = report.rows.find((o) => o.concurrency === r.concurrency && o.target !== r.target && o.target === r.target.replace(/^scia/, 'no-op'));
    const vs = floor === undefined ? '' : `; CPU ${(r.cpuMsPerRun.median / floor.cpuMsPerRun.median).toFixed(2)}x the no-op floor`;
    return {
      name: `pipeline: steady five-step run, ${r.target}, ${r.concurrency} concurrent`,
      ops: Math.round(r.runsPerSec.median), p50Ms: r.p50Ms.median, p95Ms: r.p95Ms.median,
      note: `runs/s ${fmt(r.runsPerSec)} (min/median/max); CPU ${r.cpuMsPerRun.median.toFixed(2)} ms/run${vs}; max RSS ${Math.max(...STEPS.map((s) => r.maxRssMiB[s]))} MiB`,
    };
  });
}
