import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { FunctionMetrics } from '@scia/runtime';

/** A call is one function's call: the severities of its response's results and how long it took. */
interface Call {
  fn: string;
  severities: Severity[];
  seconds: number;
}

const answered = (severities: Severity[]): RunFunctionResponse => ({ results: severities.map((severity) => ({ severity, message: 'm' })) }) as unknown as RunFunctionResponse;

/** reference is a registry of prom-client's own Counters and Histogram, named and bucketed as a function server's, counting every call as it comes. */
function reference(): { registry: Registry; count: (c: Call, worst: string) => void } {
  const registry = new Registry();
  const requests = new Counter({ name: 'function_run_function_requests_total', help: 'Total number of RunFunction requests received.', labelNames: ['function'], registers: [registry] });
  const responses = new Counter({ name: 'function_run_function_responses_total', help: 'Total number of RunFunction responses sent, by the most severe result in each.', labelNames: ['function', 'severity'], registers: [registry] });
  const seconds = new Histogram({
    name: 'function_run_function_seconds', help: 'Time taken to run the function, in seconds.', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], labelNames: ['function'], registers: [registry],
  });
  return {
    registry,
    count: (c, worst) => {
      requests.inc({ function: c.fn });
      seconds.observe({ function: c.fn }, c.seconds);
      responses.inc({ function: c.fn, severity: worst });
    },
  };
}

const { SEVERITY_FATAL: F, SEVERITY_WARNING: W, SEVERITY_NORMAL: N } = Severity;
const calls: Call[] = [
  { fn: 'function-a', severities: [N], seconds: 0.0003 },
  { fn: 'function-a', severities: [], seconds: 0.0005 },
  { fn: 'function-b', severities: [W, N], seconds: 0.0011 },
  { fn: 'function-a', severities: [N, F, W], seconds: 0.02 },
  { fn: 'function-b', severities: [N], seconds: 10 },
  { fn: 'function-a', severities: [W], seconds: 12.5 },
  { fn: 'function-c', severities: [N], seconds: 0.1 },
  { fn: 'function-b', severities: [F], seconds: 0.00049999 },
  { fn: 'function-a', severities: [N], seconds: 0.2500001 },
];

describe('FunctionMetrics', () => {
  it.each([
    { reason: 'scraped once after every call', scrapes: [calls.length] },
    { reason: 'scraped before any call, in the middle and at the end', scrapes: [0, 1, 4, 5, calls.length] },
    { reason: 'scraped after each call', scrapes: calls.map((_, i) => i + 1) },
  ])('serves what prom-client counting each call serves: $reason', async ({ scrapes }) => {
    const metrics = new FunctionMetrics();
    const want = reference();
    let done = 0;
    for (const upTo of scrapes) {
      for (const c of calls.slice(done, upTo)) {
        metrics.received(c.fn);
        metrics.observe(c.fn, answered(c.severities), c.seconds);
        want.count(c, ['fatal', 'warning', 'normal', 'none'].find((s) => (s === 'none' ? true : c.severities.includes({ fatal: F, warning: W, normal: N }[s] as Severity))) as string);
      }
      done = upTo;
      expect(await metrics.registry.metrics()).toBe(await want.registry.metrics());
      expect(await metrics.registry.getMetricsAsJSON()).toEqual(await want.registry.getMetricsAsJSON());
    }
  });

  it('counts a call received but not yet answered, and forgets everything on a reset', async () => {
    const metrics = new FunctionMetrics();
    metrics.received('function-a');
    const body = await metrics.registry.metrics();
    expect(body).toContain('function_run_function_requests_total{function="function-a"} 1');
    expect(body).not.toContain('function_run_function_seconds_count');
    metrics.observe('function-a', answered([]), 0.002);
    expect(await metrics.registry.metrics()).toContain('function_run_function_seconds_count{function="function-a"} 1');
    metrics.registry.resetMetrics();
    expect(await metrics.registry.metrics()).not.toContain('function="function-a"');
  });
});
