import type { Counter, MetricValueWithName } from 'prom-client';

/** SEVERITIES are the values of the responses counter's `severity` label. */
export const SEVERITIES = ['fatal', 'warning', 'normal', 'none'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** HistogramValue is one line of a histogram as prom-client's metric objects hold it (a bucket's exemplar is null with exemplars off). */
type HistogramValue = MetricValueWithName<string> & { exemplar?: null };

/** FunctionTally is one function's calls since the server started, as plain numbers. */
class FunctionTally {
  requests = 0;
  flushedRequests = 0;
  readonly responses = [0, 0, 0, 0];
  readonly flushedResponses = [0, 0, 0, 0];
  /** buckets counts durations per bound (not cumulative); the last slot is past every bound. */
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(readonly name: string, bounds: number) {
    this.buckets = new Array<number>(bounds + 1).fill(0);
  }
}

/**
 * CallTally counts a function server's calls on its hot path with plain
 * additions, and hands them to prom-client only when the registry is
 * collected (a scrape): the requests and responses Counters take the counts
 * added since the last collection, and `histogram` is a prom-client metric
 * object serving the durations in the exact shape (values, labels and
 * order) a prom-client Histogram observing the same durations serves.
 * Series appear in the order their first call came, as with prom-client.
 */
export class CallTally {
  readonly #byName = new Map<string, FunctionTally>();
  readonly #order: FunctionTally[] = [];
  /** #responseOrder lists the (function, severity) pairs in the order each was first counted. */
  readonly #responseOrder: [FunctionTally, number][] = [];
  #last: FunctionTally | undefined;

  constructor(readonly bounds: readonly number[]) {}

  /** received counts one call of `name`. */
  received(name: string): void {
    this.#tally(name).requests++;
  }

  /** finished counts one answered call of `name`: its worst severity and its duration. */
  finished(name: string, severity: SeverityName, seconds: number): void {
    const t = this.#tally(name);
    const s = SEVERITIES.indexOf(severity);
    if (t.responses[s] === 0 && t.flushedResponses[s] === 0) this.#responseOrder.push([t, s]);
    (t.responses[s] as number)++;
    let b = 0;
    while (b < this.bounds.length && seconds > (this.bounds[b] as number)) b++;
    (t.buckets[b] as number)++;
    t.sum += seconds;
    t.count++;
  }

  /** flushRequests adds the calls received since the last flush to `counter`. */
  flushRequests(counter: Counter<'function'>): void {
    for (const t of this.#order) {
      if (t.requests === t.flushedRequests) continue;
      counter.inc({ function: t.name }, t.requests - t.flushedRequests);
      t.flushedRequests = t.requests;
    }
  }

  /** flushResponses adds the responses counted since the last flush to `counter`. */
  flushResponses(counter: Counter<'function' | 'severity'>): void {
    for (const [t, s] of this.#responseOrder) {
      const n = (t.responses[s] as number) - (t.flushedResponses[s] as number);
      if (n === 0) continue;
      counter.inc({ function: t.name, severity: SEVERITIES[s] as SeverityName }, n);
      t.flushedResponses[s] = t.responses[s] as number;
    }
  }

  /** histogramValues are the durations as prom-client's Histogram exports them: per function, each bound's cumulative count, +Inf, sum, count. */
  histogramValues(name: string): HistogramValue[] {
    const values: HistogramValue[] = [];
    for (const t of this.#order) {
      if (t.count === 0) continue;
      const labels = { function: t.name };
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += t.buckets[i] as number;
        values.push({ labels: { le, ...labels }, value: acc, metricName: `${name}_bucket`, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf', ...labels }, value: t.count, metricName: `${name}_bucket`, exemplar: null },
        { labels: { ...labels }, value: t.sum, metricName: `${name}_sum` },
        { labels: { ...labels }, value: t.count, metricName: `${name}_count` },
      );
    }
    return values;
  }

  /** reset forgets every call counted. */
  reset(): void {
    this.#byName.clear();
    this.#order.length = 0;
    this.#responseOrder.length = 0;
    this.#last = undefined;
  }

  #tally(name: string): FunctionTally {
    const last = this.#last;
    if (last !== undefined && last.name === name) return last;
    let t = this.#byName.get(name);
    if (t === undefined) {
      t = new FunctionTally(name, this.bounds.length);
      this.#byName.set(name, t);
      this.#order.push(t);
    }
    this.#last = t;
    return t;
  }
}

/**
 * TallyHistogram is the durations histogram as a prom-client metric object
 * (what a Registry registers and collects): `function_run_function_seconds`
 * read from a CallTally, labelled by function.
 */
export class TallyHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly labelNames = ['function'];

  constructor(readonly name: string, readonly help: string, private readonly tally: CallTally) {}

  get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: HistogramValue[] }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.tally.histogramValues(this.name) });
  }

  /** reset forgets every call counted (Registry.resetMetrics, which resets the counters too). */
  reset(): void {
    this.tally.reset();
  }
}
