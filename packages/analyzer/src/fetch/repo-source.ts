import { redact, type Analysis, type Result } from '@scia/api';
import { analyze } from '../analyze.js';
import { builtScript, WorkerPool } from '../isolate/worker-pool.js';
import type { FileTree } from '../tree/types.js';
import { fetchRemoteTree, resolveRemoteRef } from './git-lazy.js';
import type { GitCredentials } from './git-remote.js';
import type { FetchLimits } from './limits.js';
import { openLocal } from './local.js';
import { checkRepoRef, locate, type Location } from './location.js';

/** RepoRef is what `spec.repository` names, with the credentials from the function's Secret. */
export interface RepoRef {
  url: string;
  ref: string;
  path?: string;
  credentials?: GitCredentials;
}

/** Resolved is the commit a ref named when it was resolved. */
export interface Resolved {
  commit: string;
  refName?: string;
}

/**
 * RepoSource is how the analyze step reaches repositories: `resolve` turns a
 * ref into a commit (cheap: one request, no objects), `analyze` fetches that
 * commit and analyses it. Both return results; expected failures never throw.
 */
export interface RepoSource {
  resolve(repo: RepoRef): Promise<Result<Resolved>>;
  analyze(repo: RepoRef, resolved: Resolved): Promise<Result<Analysis>>;
}

export interface RepoSourceOptions {
  limits: FetchLimits;
  allowLocal: boolean;
  allowedHosts: readonly string[];
  cwd: string;
  /**
   * workers says which repositories are fetched and analysed in worker
   * threads: 'remote' (the default: what a claim names over the network),
   * 'all' (local directories too) or 'none' (all on the caller's event loop).
   * At most `limits.maxConcurrent` run at once, each stopped at its time cap
   * (`limits.timeoutMs` plus JOB_GRACE_MS for the analysis) and its heap cap.
   * A worker loads the analyzer once (about a second), when the first remote
   * ref is resolved.
   */
  workers?: 'remote' | 'all' | 'none';
}

/** JOB_GRACE_MS is the time an analysis may take after its fetch's time cap before its worker is stopped. */
export const JOB_GRACE_MS = 15_000;
/** WORKER_HEAP_MB caps each analysis worker's JavaScript heap. */
export const WORKER_HEAP_MB = 1024;

/** newRepoSource builds the RepoSource over HTTPS Git (isomorphic-git) and, when allowed, local directories. */
export function newRepoSource(opts: RepoSourceOptions): RepoSource {
  return redacted(opts.workers === 'none' ? inThread(opts) : isolated(opts, opts.workers ?? 'remote'));
}

/** redacted redacts every failure of `source`: they become Warnings and events, and may quote a URL or a server's answer. */
function redacted(source: RepoSource): RepoSource {
  const clean = <T>(r: Result<T>): Result<T> => (r.ok ? r : { ok: false, error: redact(r.error) });
  return {
    resolve: async (repo) => clean(await source.resolve(repo)),
    analyze: async (repo, resolved) => clean(await source.analyze(repo, resolved)),
  };
}

/** inThread is the RepoSource that does its work on the caller's thread. */
function inThread(opts: RepoSourceOptions): RepoSource {
  const where = (url: string, ref: string, path: string | undefined): Result<Location> => {
    const checked = checkRepoRef(ref, path);
    return checked.ok ? locate(url, opts) : { ok: false, error: `cannot use ${checked.field} ${JSON.stringify(checked.field === 'ref' ? ref : path)}: ${checked.error}` };
  };
  const turn = limiter(opts.limits.maxConcurrent);
  const remote = (repo: RepoRef, url: URL) => ({ url: url.href, allowedHosts: opts.allowedHosts, limits: opts.limits, ...(repo.credentials === undefined ? {} : { credentials: repo.credentials }) });
  return {
    async resolve(repo) {
      const loc = where(repo.url, repo.ref, repo.path);
      if (!loc.ok) return loc;
      if (loc.value.kind === 'remote') return resolveRemoteRef(remote(repo, loc.value.url), repo.ref);
      const opened = await openLocal(loc.value.dir, repo.ref, opts.limits);
      return opened.ok ? { ok: true, value: { commit: opened.value.commit } } : opened;
    },
    analyze: (repo, resolved) => turn(() => analyzeOne(repo, resolved)),
  };

  async function analyzeOne(repo: RepoRef, resolved: Resolved): Promise<Result<Analysis>> {
    const loc = where(repo.url, repo.ref, repo.path);
    if (!loc.ok) return loc;
    const got: Result<{ commit: string; tree: FileTree }> =
      loc.value.kind === 'remote' ? await fetchRemoteTree(remote(repo, loc.value.url), resolved) : await openLocal(loc.value.dir, repo.ref, opts.limits);
    if (!got.ok) return got;
    try {
      const analysis = await analyze(got.value.tree, { url: repo.url, ref: repo.ref, commit: got.value.commit, ...(repo.path === undefined ? {} : { path: repo.path }) });
      return { ok: true, value: analysis };
    } catch (err) {
      return { ok: false, error: `cannot analyze commit ${got.value.commit}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
  }
}

/**
 * isolated is the RepoSource whose heavy work runs in a WorkerPool: analyses
 * (fetch, read and detection), and resolves of local directories (which hash
 * every file) when those are isolated too. Resolving a remote ref stays here:
 * one bounded request, no objects; it starts the first worker meanwhile.
 */
function isolated(opts: RepoSourceOptions, which: 'remote' | 'all'): RepoSource {
  const inline = inThread(opts);
  let pool: WorkerPool;
  try {
    pool = new WorkerPool(builtScript('../isolate/analysis-worker.js', import.meta.url), { size: opts.limits.maxConcurrent, maxHeapMb: WORKER_HEAP_MB });
  } catch (err) {
    // A build without the worker module fails each isolated analysis loudly, and keeps the process serving.
    return unavailable(inline, which, err instanceof Error ? err.message : String(err));
  }
  const shared: RepoSourceOptions = { limits: opts.limits, allowLocal: opts.allowLocal, allowedHosts: [...opts.allowedHosts], cwd: opts.cwd, workers: 'none' };
  const timeoutMs = opts.limits.timeoutMs + JOB_GRACE_MS;
  const kind = (repo: RepoRef): 'remote' | 'local' | undefined => {
    const loc = locate(repo.url, opts);
    return loc.ok ? loc.value.kind : undefined;
  };
  return {
    async resolve(repo) {
      const k = kind(repo);
      if (k === 'remote') pool.warm();
      if (k !== 'local' || which === 'remote') return inline.resolve(repo);
      const r = await pool.run<Result<Resolved>>('resolve', { opts: shared, repo }, timeoutMs);
      return r.ok ? r.value : { ok: false, error: `cannot resolve ref ${JSON.stringify(repo.ref)}: ${r.error}` };
    },
    async analyze(repo, resolved) {
      if (kind(repo) !== 'remote' && which === 'remote') return inline.analyze(repo, resolved);
      const r = await pool.run<Result<Analysis>>('analyze', { opts: shared, repo, resolved }, timeoutMs);
      return r.ok ? r.value : { ok: false, error: `cannot analyze commit ${resolved.commit}: ${r.error}` };
    },
  };
}

/** unavailable is the isolated RepoSource when its worker module is missing: what would run in a worker fails with `why`. */
function unavailable(inline: RepoSource, which: 'remote' | 'all', why: string): RepoSource {
  const remote = (repo: RepoRef): boolean => /^https?:\/\//i.test(repo.url.trim());
  return {
    resolve: (repo) => inline.resolve(repo),
    analyze: async (repo, resolved) => (which === 'remote' && !remote(repo) ? inline.analyze(repo, resolved) : { ok: false, error: `cannot analyze commit ${resolved.commit}: ${why}` }),
  };
}

/** limiter runs at most `n` jobs at a time, the others in arrival order. */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    // A finishing job hands its slot to the next waiter, so no newcomer slips in between.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}
