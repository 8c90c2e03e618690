import type { Result } from '@scia/api';
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskTree } from '../tree/disk-tree.js';
import type { FileTree } from '../tree/types.js';
import { gitDirFs } from './git-dir-fs.js';
import type { FetchLimits } from './limits.js';

/**
 * openLocal opens a local directory at `ref`. For a Git checkout (a `.git`
 * directory, read as files; git is never run) the commit is the SHA `ref`
 * resolves to: HEAD analyses the working tree as it is on disk, any other ref
 * the committed tree of that commit. Elsewhere the commit is a content hash,
 * `tree:` and the first 16 hex digits of a SHA-256 over every listed path, size
 * and readable content, so an edit changes it. No symlink inside `.git` is
 * followed: a checkout holding one is refused, and no error quotes what a file
 * of `.git` holds. isomorphic-git loads only for a Git checkout.
 */
export async function openLocal(dir: string, ref: string, limits: FetchLimits): Promise<Result<{ commit: string; tree: FileTree }>> {
  const st = await lstat(dir).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) return { ok: false, error: `cannot open ${dir}: not a directory` };
  const gitdir = join(dir, '.git');
  const isGit = (await lstat(gitdir).catch(() => undefined))?.isDirectory() === true;
  const treeLimits = { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes };
  if (!isGit) {
    if (ref !== 'HEAD') return { ok: false, error: `cannot resolve ref ${JSON.stringify(ref)}: ${dir} is not a Git checkout` };
    const tree = await diskTree(dir, treeLimits);
    return { ok: true, value: { commit: await contentHash(tree), tree } };
  }
  const guarded = gitDirFs(gitdir);
  const linked = (): Result<never> => ({ ok: false, error: `cannot open ${dir}: .git/${guarded.refused[0] ?? ''} is a symlink, and none inside .git is followed` });
  // Entries isomorphic-git may never read (config, hooks) are refused too: the checkout is not what it claims to be.
  guarded.refused.push(...(await readdir(gitdir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isSymbolicLink()).map((e) => e.name));
  if (guarded.refused.length > 0) return linked();
  try {
    const [{ default: git }, { readGitTree }] = await Promise.all([import('isomorphic-git'), import('./git-tree.js')]);
    const commit = await git.resolveRef({ fs: guarded.fs, gitdir, ref });
    const tree = ref === 'HEAD' ? await diskTree(dir, treeLimits) : await readGitTree(gitdir, commit, limits, guarded.fs);
    return guarded.refused.length > 0 ? linked() : { ok: true, value: { commit, tree } };
  } catch (err) {
    if (guarded.refused.length > 0) return linked();
    return { ok: false, error: `cannot resolve ref ${JSON.stringify(ref)} in ${dir}: ${gitFailure(err)}` };
  }
}

/** gitFailure names what went wrong reading `.git` by the error's kind: its message may quote a file's content. */
function gitFailure(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'NotFoundError') return 'no such branch, tag or commit';
  return `cannot read the Git directory (${typeof code === 'string' ? code.slice(0, 40) : 'unknown error'})`;
}

/** contentHash names a tree that has no commit: `tree:` + 16 hex digits of SHA-256 over its paths, sizes and contents. */
export async function contentHash(tree: FileTree): Promise<string> {
  const h = createHash('sha256');
  for (const f of tree.files()) {
    h.update(`${f.path}\0${f.size}\0`);
    const r = await tree.read(f.path);
    if (r.ok) h.update(r.text);
  }
  return `tree:${h.digest('hex').slice(0, 16)}`;
}
