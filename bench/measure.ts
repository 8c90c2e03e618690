/** BenchRow is one measured operation: throughput and latency percentiles. */
export interface BenchRow {
  name: string;
  ops: number;
  p50Ms: number;
  p95Ms: number;
  note?: string;
}

export interface MeasureOptions {
  iterations: number;
  warmup?: number;
  note?: string;
}

/** percentile returns the q-quantile (0..1) of sorted durations, by nearest rank. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** measure runs `op(i)` sequentially for i = 0..iterations-1 after a warm-up and reports its latency. */
export async function measure(name: string, op: (i: number) => unknown, opts: MeasureOptions): Promise<BenchRow> {
  // Warm-up calls get negative indexes, so an op that keys on its index never repeats a measured key.
  for (let i = 0; i < (opts.warmup ?? Math.min(50, opts.iterations)); i++) await op(-1 - i);
  const durations: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < opts.iterations; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    durations.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  durations.sort((a, b) => a - b);
  return {
    name,
    ops: Math.round((opts.iterations / totalMs) * 1000),
    p50Ms: round(percentile(durations, 0.5)),
    p95Ms: round(percentile(durations, 0.95)),
    ...(opts.note === undefined ? {} : { note: opts.note }),
  };
}

/** measureConcurrent runs `op` from `callers` concurrent loops and reports throughput. */
export async function measureConcurrent(name: string, op: () => Promise<unknown>, callers: number, perCaller: number): Promise<BenchRow> {
  const durations: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < perCaller; i++) {
        const t0 = process.hrtime.bigint();
        await op();
        durations.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  durations.sort((a, b) => a - b);
  return {
    name,
    ops: Math.round(((callers * perCaller) / totalMs) * 1000),
    p50Ms: round(percentile(durations, 0.5)),
    p95Ms: round(percentile(durations, 0.95)),
    note: `${callers} concurrent callers`,
  };
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
