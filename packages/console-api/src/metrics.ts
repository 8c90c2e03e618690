import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** ConsoleMetrics are the console's Prometheus series: requests, their latency, subscribers and the cache. */
export class ConsoleMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'transport' | 'operation' | 'outcome'>;
  readonly seconds: Histogram<'transport' | 'operation'>;
  readonly subscribers: Gauge;
  readonly cached: Gauge;
  readonly rejected: Counter<'reason'>;

  constructor(opts: { defaultMetrics?: boolean; cachedCount?: () => number } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'scia_console_requests_total', help: 'GraphQL operations, by transport (http, ws), operation type and outcome (ok, error).', labelNames: ['transport', 'operation', 'outcome'], registers });
    this.seconds = new Histogram({ name: 'scia_console_request_seconds', help: 'Time to answer a GraphQL query or mutation, in seconds.', labelNames: ['transport', 'operation'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
    this.subscribers = new Gauge({ name: 'scia_console_subscribers', help: 'Open deploymentUpdated subscriptions.', registers });
    this.rejected = new Counter({ name: 'scia_console_rejected_total', help: 'Requests refused before running, by reason (unauthenticated, rate_limited, too_complex).', labelNames: ['reason'], registers });
    const count = opts.cachedCount ?? (() => 0);
    this.cached = new Gauge({ name: 'scia_console_cached_deployments', help: 'Deployments in the informer cache.', registers, collect() { this.set(count()); } });
    if (opts.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
  }
}
