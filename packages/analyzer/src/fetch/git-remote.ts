import type { Result } from '@scia/api';
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git, { type AuthCallback } from 'isomorphic-git';
import { redact } from '@scia/api';
import { guardedHttp, newBudget } from './http-client.js';
import type { FetchLimits } from './limits.js';
import { readGitTree } from './git-tree.js';
import type { FileTree } from '../tree/types.js';

/** GitCredentials authenticate to a private repository: a username and password, or a token. */
export interface GitCredentials {
  username?: string;
  password?: string;
  token?: string;
}

/** Remote is one HTTP(S) repository and how to reach it. */
export interface Remote {
  url: string;
  credentials?: GitCredentials;
  allowedHosts: readonly string[];
  limits: FetchLimits;
}


/** ResolvedRef is a ref's commit and the full name of the ref that points at it (absent for a bare SHA). */
export interface ResolvedRef {
  commit: string;
  refName?: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

/** resolveRemoteRef asks the server which commit `ref` (HEAD, a branch, a tag or a full SHA) names; one request, no objects. */
export async function resolveRemoteRef(remote: Remote, ref: string): Promise<Result<ResolvedRef>> {
  const budget = newBudget(remote.limits);
  try {
    const info = await withDeadline(git.getRemoteInfo2({ http: guardedHttp(budget, remote.allowedHosts), url: remote.url, onAuth: auth(remote.credentials), protocolVersion: 1 }), budget.deadline);
    const refs = info.refs ?? [];
    if (FULL_SHA.test(ref)) {
      const sha = ref.toLowerCase();
      const tip = refs.find((r) => (r.peeled ?? r.oid) === sha && r.ref !== 'HEAD');
      return { ok: true, value: { commit: sha, ...(tip === undefined ? {} : { refName: tip.ref }) } };
    }
    const names = ref === 'HEAD' ? ['HEAD'] : ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const name of names) {
      const hit = refs.find((r) => r.ref === name);
      if (hit !== undefined) return { ok: true, value: { commit: hit.peeled ?? hit.oid, refName: name === 'HEAD' ? (hit.target ?? 'HEAD') : name } };
    }
    return { ok: false, error: `cannot resolve ref ${JSON.stringify(ref)}: the repository has no such branch or tag` };
  } catch (err) {
    return { ok: false, error: `cannot resolve ref ${JSON.stringify(ref)}: ${reason(err)}` };
  }
}

/**
 * fetchRemoteTree fetches one commit shallowly (depth 1, one ref, no tags) into
 * a temporary directory, reads its tree into memory within the limits, and
 * removes the directory. Nothing from the repository is checked out or run.
 */
export async function fetchRemoteTree(remote: Remote, resolved: ResolvedRef): Promise<Result<{ commit: string; tree: FileTree }>> {
  if (resolved.refName === undefined) return { ok: false, error: `cannot fetch commit ${resolved.commit}: it is not the tip of any branch or tag, and a shallow fetch takes only advertised commits` };
  const budget = newBudget(remote.limits);
  const gitdir = await mkdtemp(join(tmpdir(), 'scia-git-'));
  try {
    await git.init({ fs, gitdir, bare: true });
    await git.addRemote({ fs, gitdir, remote: 'origin', url: remote.url });
    const fetched = await withDeadline(
      git.fetch({ fs, gitdir, http: guardedHttp(budget, remote.allowedHosts), remote: 'origin', ref: resolved.refName, singleBranch: true, depth: 1, tags: false, onAuth: auth(remote.credentials) }),
      budget.deadline,
    );
    if (fetched.fetchHead === null) return { ok: false, error: `cannot fetch ${resolved.refName}: the server sent no commit` };
    const commit = (await git.readCommit({ fs, gitdir, oid: fetched.fetchHead }).catch(() => undefined))?.oid ?? resolved.commit;
    const tree = await readGitTree(gitdir, commit, remote.limits);
    return { ok: true, value: { commit, tree } };
  } catch (err) {
    return { ok: false, error: `cannot fetch ${resolved.refName}: ${reason(err)}` };
  } finally {
    await rm(gitdir, { recursive: true, force: true });
  }
}

function auth(c: GitCredentials | undefined): AuthCallback | undefined {
  if (c === undefined) return undefined;
  if (c.token !== undefined) return () => ({ username: c.username ?? 'x-access-token', password: c.token });
  if (c.username !== undefined) return () => ({ username: c.username, password: c.password ?? '' });
  return undefined;
}

function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the Git server did not answer within the time cap')), Math.max(1, deadline - Date.now()));
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** reason renders an error for a result message, redacted: it may quote a URL's query or what a server answered. */
function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return redact((msg.split('\n')[0] ?? '').slice(0, 300));
}
