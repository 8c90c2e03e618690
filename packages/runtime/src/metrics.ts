import { createServer, type Server } from 'node:http';
import { Counter, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Severity } from './protocol.js';
import { CallTally, TallyHistogram, type SeverityName } from './metrics-tally.js';

/** SECONDS_BUCKETS are the duration histogram's upper bounds, in seconds. */
const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * FunctionMetrics are the Prometheus series a function server keeps, named as
 * function-sdk-go names them, each labelled with the function's name so that
 * one registry can serve several functions (`scia serve`). A call costs a few
 * additions (CallTally); prom-client reads the counts when the registry is
 * collected, so a scrape serves what a prom-client Counter and Histogram
 * counting every call would.
 */
export class FunctionMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'function'>;
  readonly responses: Counter<'function' | 'severity'>;
  /** seconds is the `function_run_function_seconds` histogram as the registry collects it. */
  readonly seconds: TallyHistogram;
  readonly #tally = new CallTally(SECONDS_BUCKETS);

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const tally = this.#tally;
    this.requests = new Counter({
      name: 'function_run_function_requests_total',
      help: 'Total number of RunFunction requests received.',
      labelNames: ['function'],
      registers: [this.registry],
      collect() {
        tally.flushRequests(this);
      },
    });
    this.responses = new Counter({
      name: 'function_run_function_responses_total',
      help: 'Total number of RunFunction responses sent, by the most severe result in each.',
      labelNames: ['function', 'severity'],
      registers: [this.registry],
      collect() {
        tally.flushResponses(this);
      },
    });
    this.seconds = new TallyHistogram('function_run_function_seconds', 'Time taken to run the function, in seconds.', tally);
    this.registry.registerMetric(this.seconds as unknown as Metric);
    if (opts.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  /** received counts one call to the function `name`. */
  received(name: string): void {
    this.#tally.received(name);
  }

  /** observe records one finished call of the function `name`. */
  observe(name: string, rsp: RunFunctionResponse, seconds: number): void {
    this.#tally.finished(name, worstSeverity(rsp), seconds);
  }
}

/** worstSeverity names the most severe result of a response: fatal, warning, normal, or none. */
export function worstSeverity(rsp: RunFunctionResponse): SeverityName {
  let worst: SeverityName = 'none';
  for (const r of rsp.results) {
    if (r.severity === Severity.SEVERITY_FATAL) return 'fatal';
    if (r.severity === Severity.SEVERITY_WARNING) worst = 'warning';
    else if (r.severity === Severity.SEVERITY_NORMAL && worst === 'none') worst = 'normal';
  }
  return worst;
}

/** serveMetrics serves `GET /metrics` on `address` (host:port) and resolves once listening. */
export async function serveMetrics(metrics: FunctionMetrics, address: string): Promise<{ server: Server; port: number }> {
  const { host, port } = splitHostPort(address);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500).end(`cannot collect metrics: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  return { server, port: typeof bound === 'object' && bound !== null ? bound.port : port };
}

/** splitHostPort parses `host:port`, `:port` and `[::1]:port`. */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (m === null) throw new Error(`cannot parse address ${JSON.stringify(address)}: want host:port`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port: Number(m[3]) };
}
