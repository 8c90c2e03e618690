import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, newRepoSource, type RepoSource, type RepoSourceOptions } from '@scia/analyzer';
import { createRepo, startGitServer, type GitServer } from '../../../test/support/git-server.js';

/**
 * A hostile repository must cost a worker thread, never the event loop that
 * answers other claims. Measured as event-loop lag relative to the analysis's
 * own duration, so a slow or busy machine scales both sides alike.
 */

let git: GitServer;
let server: Server;

beforeAll(async () => {
  git = await startGitServer();
  const deps: Record<string, string> = {};
  for (let i = 0; i < 30_000; i++) deps[`dep-${String(i).padStart(6, '0')}`] = '^1.0.0';
  createRepo(git.root, 'hostile').commit({
    'package.json': JSON.stringify({ dependencies: { express: '^4', ...deps } }, null, 2),
    'requirements.txt': Array.from({ length: 30_000 }, (_, i) => `pkg${i}==1.0`).join('\n'),
  });
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await git.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function source(workers: RepoSourceOptions['workers']): RepoSource {
  return newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: false, allowedHosts: ['127.0.0.1'], cwd: '/', ...(workers === undefined ? {} : { workers }) });
}

function ping(): Promise<number> {
  const t0 = performance.now();
  const port = (server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', () => resolve(performance.now() - t0))).on('error', reject);
  });
}

/** hostileRun analyses the hostile directory while a trivial loopback request is made, and reports the worst event-loop lag. */
async function hostileRun(repos: RepoSource): Promise<{ framework: string; count: number; tookMs: number; maxLagMs: number; pingBeforeEnd: boolean }> {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const t0 = performance.now();
  lag.enable();
  let ended = false;
  const repo = { url: git.url('hostile'), ref: 'main' };
  const resolved = await repos.resolve(repo);
  if (!resolved.ok) throw new Error(resolved.error);
  const analysed = repos.analyze(repo, resolved.value).finally(() => (ended = true));
  const pinged = new Promise((resolve) => setTimeout(resolve, 20)).then(ping).then(() => !ended);
  const [a, pingBeforeEnd] = await Promise.all([analysed, pinged]);
  // A block that ends the run is only recorded when the loop next runs its timers.
  await new Promise((resolve) => setTimeout(resolve, 10));
  lag.disable();
  if (!a.ok) throw new Error(a.error);
  return { framework: a.value.framework, count: a.value.dependencyCount, tookMs: performance.now() - t0, maxLagMs: lag.max / 1e6, pingBeforeEnd };
}

describe('analysis off the event loop', () => {
  it('answers a trivial request while a 60,000-dependency repository is analysed, the loop never blocked for a quarter of the analysis', async () => {
    // The default RepoSource: repositories named by URL are fetched and analysed in a worker.
    const r = await hostileRun(source(undefined));
    expect({ framework: r.framework, count: r.count, pingBeforeEnd: r.pingBeforeEnd, blocked: r.maxLagMs > r.tookMs / 4 }, JSON.stringify(r)).toEqual({
      framework: 'express',
      count: 60_001,
      pingBeforeEnd: true,
      blocked: false,
    });
  });

  it('would block the loop for most of the analysis if it ran inline (the measurement can tell)', async () => {
    const r = await hostileRun(source('none'));
    expect({ count: r.count, blocked: r.maxLagMs > r.tookMs / 4 }, JSON.stringify(r)).toEqual({ count: 60_001, blocked: true });
  });
});
