import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { analyze, diskTree, memoryTree, newRepoSource, DEFAULT_FETCH_LIMITS, type MemoryFiles } from '@scia/analyzer';
import { runFunction, type AnalyzeDeps } from '@scia/function-analyze';
import { SingleFlight, dialFunction, startFunctionServer } from '@scia/runtime';
import { measure, percentile, round, type BenchRow } from './measure.js';

/** smallRepo is a Flask API: a manifest, an entry file, a Procfile, a Dockerfile. */
function smallRepo(): MemoryFiles {
  return {
    'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\npsycopg2-binary==2.9.9\nredis==5.0.4\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    Procfile: 'web: gunicorn app:app --bind 0.0.0.0:$PORT\n',
    Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
    '.env.example': 'DATABASE_URL=postgres://app@db/app\nREDIS_URL=redis://cache:6379\n',
  };
}

/** largeRepo is a TypeScript monorepo: 4 apps, 6 packages, 5000 source files of ~1.5 KB. */
function largeRepo(): MemoryFiles {
  const files: MemoryFiles = {
    'package.json': JSON.stringify({ private: true, workspaces: ['apps/*', 'packages/*'], devDependencies: { turbo: '^2', typescript: '^5' } }),
    'turbo.json': '{}',
  };
  const apps = { web: { next: '14' }, api: { fastify: '^4', pg: '^8', ioredis: '^5' }, admin: { vite: '^5' }, worker: { bullmq: '^5' } };
  for (const [name, deps] of Object.entries(apps)) files[`apps/${name}/package.json`] = JSON.stringify({ name, dependencies: deps });
  const body = `export function handler(input: string): string {\n${'  // padding line of a typical source file\n'.repeat(36)}  return input;\n}\n`;
  for (let i = 0; i < 5000; i++) files[`${i % 10 < 4 ? `apps/${Object.keys(apps)[i % 4]}` : `packages/p${i % 6}`}/src/m${i}.ts`] = body;
  return files;
}

/** manyDeps is a package.json declaring `n` dependencies, one per line, as a hostile repository might. */
function manyDeps(n: number): MemoryFiles {
  const deps: Record<string, string> = {};
  for (let i = 0; i < n; i++) deps[`dep-${String(i).padStart(6, '0')}`] = `^${i % 10}.0.0`;
  return { 'package.json': JSON.stringify({ name: 'hostile', dependencies: deps }, null, 2) };
}

/**
 * loopLag analyses a directory holding a 30k-dependency package.json through a
 * RepoSource, inline or in its worker threads, and reports the worst gap
 * between ticks of a 1 ms timer meanwhile: how long every other request waited.
 */
async function loopLag(workers: boolean): Promise<BenchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'scia-bench-lag-'));
  writeFileSync(join(dir, 'package.json'), manyDeps(30_000)['package.json'] as string);
  const repos = newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: true, allowedHosts: [], cwd: process.cwd(), workers: workers ? 'all' : 'none' });
  const lags: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < 4; i++) {
      let [last, worst] = [performance.now(), 0];
      const tick = setInterval(() => ([worst, last] = [Math.max(worst, performance.now() - last), performance.now()]), 1);
      await repos.analyze({ url: dir, ref: 'HEAD' }, { commit: 'tree:bench' });
      // The timer must run once more to see a block that ended the analysis.
      await new Promise((resolve) => setTimeout(resolve, 5));
      clearInterval(tick);
      if (i > 0) lags.push(worst);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  lags.sort((a, b) => a - b);
  const name = `analyze: worst event-loop lag, 30k-dependency repository ${workers ? 'in a worker' : 'inline'}`;
  return { name, ops: Math.round(4000 / (performance.now() - started)), p50Ms: round(percentile(lags, 0.5)), p95Ms: round(percentile(lags, 0.95)), note: 'p50/p95: the longest wait of a 1 ms timer during one analysis' };
}

async function pinnedCall(): Promise<BenchRow> {
  const deps: AnalyzeDeps = {
    repos: newRepoSource({ limits: DEFAULT_FETCH_LIMITS, allowLocal: true, allowedHosts: [], cwd: process.cwd() }),
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    jobs: new SingleFlight(),
    policy: { allowLocal: true, allowedHosts: [], cwd: process.cwd() },
    budgetMs: 3000,
    refTtlSeconds: 300,
    allowPlatformCredentials: true,
  };
  const analysis = { ...(await analyze(memoryTree(smallRepo()), { url: 'https://example.com/acme/api', ref: 'main', commit: 'a'.repeat(40) })), resolvedAt: '2026-01-01T00:00:00.000Z' };
  const xr = { apiVersion: 'scia.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'bench' }, spec: { repository: { url: analysis.url, ref: 'main' } }, status: { analysis } };
  const req = RunFunctionRequest.fromPartial({ meta: { tag: 'bench' }, observed: { composite: { resource: xr } } });
  const server = await startFunctionServer({ name: 'function-scia-analyze', run: (r) => runFunction(r, deps), address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure() });
  const client = dialFunction(server.address);
  try {
    return await measure('analyze: pinned call over gRPC (steady state)', () => client.run(req), { iterations: 2000, note: 'status.analysis pinned within the ref TTL: no resolve, no fetch; compare with the no-op baseline' });
  } finally {
    client.close();
    await server.shutdown(100);
  }
}

/** benchAnalyze measures analysis of a small and a large fixture, a sample app on disk, and the pinned steady-state call. */
export async function benchAnalyze(): Promise<BenchRow[]> {
  const small = memoryTree(smallRepo());
  const large = memoryTree(largeRepo());
  const opts = { url: 'https://example.com/acme/app', commit: 'c0ffee' };
  // From bench/ as a source and from bench/dist/ once compiled.
  const sample = ['../examples/apps/express-api', '../../examples/apps/express-api'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p)) ?? 'examples/apps/express-api';
  return [
    await measure('analyze: small repo (5 files, in memory)', () => analyze(small, opts), { iterations: 500 }),
    await measure('analyze: large monorepo (5002 files, in memory)', () => analyze(large, opts), { iterations: 50, note: '4 apps, 6 packages; picks apps/api' }),
    await measure('analyze: examples/apps/express-api on disk', async () => analyze(await diskTree(sample), opts), { iterations: 200, note: 'listing and reads included' }),
    await measure('analyze: package.json with 10k dependencies', () => analyze(memoryTree(manyDeps(10_000)), opts), { iterations: 5, warmup: 1, note: 'one pass over the manifest for every line' }),
    await measure('analyze: package.json with 30k dependencies', () => analyze(memoryTree(manyDeps(30_000)), opts), { iterations: 5, warmup: 1, note: 'linear: ~3x the 10k row' }),
    await loopLag(false),
    await loopLag(true),
    await pinnedCall(),
  ];
}
