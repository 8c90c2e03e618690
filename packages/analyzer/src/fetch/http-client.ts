import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { packMeter, type Meter } from './pack-meter.js';
import { pinHost } from './ssrf.js';

/** Budget is shared by every request of one resolve or fetch: bytes received and a deadline. */
export interface Budget {
  maxBytes: number;
  /** maxInflated caps what the objects of a fetched pack inflate to. */
  maxInflated: number;
  deadline: number;
  received: number;
  /** requests counts the HTTP requests made, for callers that report or test them. */
  requests: number;
}

export function newBudget(limits: { maxBytes: number; maxInflatedBytes: number; timeoutMs: number }): Budget {
  return { maxBytes: limits.maxBytes, maxInflated: limits.maxInflatedBytes, deadline: Date.now() + limits.timeoutMs, received: 0, requests: 0 };
}

/**
 * guardedHttp is the HTTP client isomorphic-git talks through. Every request
 * re-checks its host against the SSRF rules and connects to the checked address
 * (no second DNS answer), follows no redirect, and stops when the budget's
 * bytes or deadline run out, or when a pack it receives would inflate past
 * the budget's cap.
 */
export function guardedHttp(budget: Budget, allowedHosts: readonly string[]): HttpClient {
  return {
    request: async (req: GitHttpRequest): Promise<GitHttpResponse> => {
      const url = new URL(req.url);
      const pin = await pinHost(url.hostname, allowedHosts);
      if (!pin.ok) throw new Error(pin.error);
      const lookup: LookupFunction = (_host, options, cb) => {
        if (options.all === true) cb(null, [{ address: pin.value.address, family: pin.value.family }]);
        else cb(null, pin.value.address, pin.value.family);
      };
      const body = req.body === undefined ? undefined : await collect(req.body);
      budget.requests++;
      const res = await send(url, { method: req.method ?? 'GET', headers: req.headers ?? {}, lookup, timeout: Math.max(1, budget.deadline - Date.now()) }, body);
      if (res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400) {
        res.destroy();
        throw new Error(`cannot fetch ${url.host}${url.pathname}: redirect to another location refused`);
      }
      return {
        url: req.url,
        method: req.method ?? 'GET',
        statusCode: res.statusCode ?? 0,
        statusMessage: res.statusMessage ?? '',
        headers: flatHeaders(res.headers),
        body: bounded(res, budget, url.pathname.endsWith('/git-upload-pack') ? packMeter(budget.maxInflated) : undefined),
      };
    },
  };
}

function send(url: URL, opts: http.RequestOptions, body: Uint8Array | undefined): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https.request : http.request)(url, { ...opts, agent: false }, resolve);
    request.on('timeout', () => request.destroy(new Error('timed out waiting for the Git server')));
    request.on('error', reject);
    request.end(body);
  });
}

async function* bounded(res: http.IncomingMessage, budget: Budget, meter: Meter | undefined): AsyncIterableIterator<Uint8Array> {
  const timer = setTimeout(() => res.destroy(new Error('fetch took longer than the time cap')), Math.max(1, budget.deadline - Date.now()));
  try {
    for await (const chunk of res) {
      const bytes = chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk));
      budget.received += bytes.byteLength;
      if (budget.received > budget.maxBytes) throw new Error(`repository is larger than the ${budget.maxBytes}-byte fetch cap`);
      meter?.(bytes);
      yield bytes;
    }
  } finally {
    clearTimeout(timer);
    res.destroy();
  }
}

async function collect(body: AsyncIterableIterator<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
