import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { Api, ContextKey } from '@scia/api';
import { DEFAULT_FETCH_LIMITS, newRepoSource, type RepoSource } from '@scia/analyzer';
import type { AnalyzeDeps } from '@scia/function-analyze';
import { SingleFlight } from '@scia/runtime';

/** xr builds a request for an XR with `repository` in its spec and, optionally, a pinned status.analysis. */
export function xr(repository: unknown, status?: Record<string, unknown>, credentials?: Record<string, Record<string, string>>): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'test-tag' },
    observed: { composite: { resource: { apiVersion: Api.apiVersion, kind: Api.compositeKind, metadata: { name: 'app' }, spec: { repository }, ...(status === undefined ? {} : { status }) } } },
    credentials: Object.fromEntries(Object.entries(credentials ?? {}).map(([name, data]) => [name, { credentialData: { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)])) } }])),
  });
}

/** Clocked is a clock tests move by hand. */
export interface Clocked {
  at: Date;
  now(): Date;
}

export function clock(iso = '2026-03-01T10:00:00.000Z'): Clocked {
  const c: Clocked = { at: new Date(iso), now: () => c.at };
  return c;
}

/** deps builds the step's deps over the real repo source, with loopback allowed and a counter of analyze calls. */
export function deps(c: Clocked, opts: { budgetMs?: number; allowLocal?: boolean; allowPlatform?: boolean } = {}): AnalyzeDeps & { fetches: { count: number } } {
  const policy = { allowLocal: opts.allowLocal ?? false, allowedHosts: ['127.0.0.1'], cwd: '/' };
  const real = newRepoSource({ ...policy, limits: DEFAULT_FETCH_LIMITS });
  const fetches = { count: 0 };
  const repos: RepoSource = {
    resolve: (repo) => real.resolve(repo),
    analyze: (repo, resolved) => {
      fetches.count++;
      return real.analyze(repo, resolved);
    },
  };
  return { repos, clock: c, jobs: new SingleFlight(), policy, budgetMs: opts.budgetMs ?? 20_000, refTtlSeconds: 300, allowPlatformCredentials: opts.allowPlatform ?? true, fetches };
}

/** Seen is what a test checks of a response: TTL, results, the analysis context and the desired XR status. */
export interface Seen {
  ttl: number | undefined;
  results: { severity: string; message: string; reason?: string }[];
  context: unknown;
  status: unknown;
}

export function seen(rsp: RunFunctionResponse): Seen {
  return {
    ttl: rsp.meta?.ttl?.seconds,
    results: rsp.results.map((r) => ({ severity: Severity[r.severity], message: r.message, ...(r.reason === undefined ? {} : { reason: r.reason }) })),
    context: rsp.context?.[ContextKey.analysis],
    status: rsp.desired?.composite?.resource?.['status'],
  };
}
