import type { Cause } from '@scia/api';

/**
 * CAUSE_PATTERNS is the documented classifier from free text (a condition's
 * message, the workload's state, a team's comment) to causes. Each cause
 * lists the phrases that signal it, matched case-insensitively:
 *
 * | cause          | signalled by |
 * |----------------|--------------|
 * | out-of-memory  | OOM, OOMKilled, out of memory, MemoryError, memory limit, cannot allocate memory, heap space, Max Memory Used |
 * | needs-gpu      | CUDA, GPU, NVIDIA |
 * | cold-start     | cold start, scaling from zero, first request after idle, init duration |
 * | too-slow       | too slow, slow, timed out, timeout, latency, p95/p99, deadline exceeded, hangs |
 * | too-expensive  | expensive, cost, bill, budget, overpriced, pricey |
 * | wrong-strategy | websocket, socket, disconnects, connections drop, wrong strategy or platform, long-running, 15-minute limit |
 *
 * A cold start is a kind of slowness: when both match, only cold-start is kept.
 */
export const CAUSE_PATTERNS: Readonly<Record<Cause, readonly RegExp[]>> = {
  'out-of-memory': [/\boom/, /out of memory/, /memory ?error/, /memory limit/, /cannot allocate memory/, /heap space/, /max memory used/, /\bmemory (exhausted|exceeded)/],
  'needs-gpu': [/\bcuda\b/, /\bgpus?\b/, /\bnvidia\b/],
  'cold-start': [/cold[- ]?starts?/, /(scal\w*|starts?) (up )?from zero/, /first request after (being )?idle/, /init duration/],
  'too-slow': [/too slow/, /\bslow(ly|er)?\b/, /timed? ?out/, /timeouts?\b/, /latency/, /\bp9[59]\b/, /deadline exceeded/, /\bhang(s|ing)?\b/],
  'too-expensive': [/expensive/, /\bcost(s|ly)?\b/, /\bbill\b/, /\bbudget\b/, /overpriced/, /\bpricey\b/],
  'wrong-strategy': [/web ?sockets?/, /\bsockets?\b/, /disconnect/, /connections? (keep )?drop/, /wrong (strategy|platform)/, /long[- ]running/, /15[- ]minute/],
};

const ORDER = Object.keys(CAUSE_PATTERNS) as Cause[];

/** classifyText names the causes `text` signals, in CAUSE_PATTERNS order, without duplicates. */
export function classifyText(...texts: readonly (string | undefined)[]): Cause[] {
  const text = texts.filter((t): t is string => t !== undefined).join('\n').toLowerCase();
  const found = ORDER.filter((cause) => CAUSE_PATTERNS[cause].some((p) => p.test(text)));
  return found.includes('cold-start') ? found.filter((c) => c !== 'too-slow') : found;
}
