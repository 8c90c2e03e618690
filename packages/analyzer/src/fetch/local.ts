import type { Result } from '@scia/api';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { diskTree } from '../tree/disk-tree.js';
import type { FileTree } from '../tree/types.js';
import { readGitTree } from './git-tree.js';
import type { FetchLimits } from './limits.js';

/**
 * openLocal opens a local directory at `ref`. For a Git checkout (a `.git`
 * directory, read as files; git is never run) the commit is the SHA `ref`
 * resolves to: HEAD analyses the working tree as it is on disk, any other ref
 * the committed tree of that commit. Elsewhere the commit is a content hash,
 * `tree:` and the first 16 hex digits of a SHA-256 over every listed path, size
 * and readable content, so an edit changes it.
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
  try {
    const commit = await git.resolveRef({ fs, gitdir, ref });
    const tree = ref === 'HEAD' ? await diskTree(dir, treeLimits) : await readGitTree(gitdir, commit, limits);
    return { ok: true, value: { commit, tree } };
  } catch (err) {
    return { ok: false, error: `cannot resolve ref ${JSON.stringify(ref)} in ${dir}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
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
