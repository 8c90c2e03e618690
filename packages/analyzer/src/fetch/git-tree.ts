import * as nodeFs from 'node:fs';
import git, { type FsClient } from 'isomorphic-git';
import { memoryTree, type MemoryFiles } from '../tree/memory-tree.js';
import type { FileTree } from '../tree/types.js';
import type { FetchLimits } from './limits.js';

const SKIPPED_DIRS = new Set(['node_modules', '.venv', 'venv', '__pycache__', 'vendor', '.git']);

/**
 * readGitTree reads the tree of `commit` from a git directory into memory:
 * regular files only (symlinks and submodules are skipped and never followed),
 * at most `maxFiles`; files over `maxFileBytes`, and any past `maxTotalBytes`,
 * keep only their size. `fs` is how the git directory is read (a guarded one for
 * directories this process did not create).
 */
export async function readGitTree(gitdir: string, commit: string, limits: FetchLimits, fs: FsClient = nodeFs): Promise<FileTree> {
  const files: MemoryFiles = {};
  const warnings: string[] = [];
  const state = { count: 0, kept: 0, symlinks: 0, trees: 0 };
  const queue: { oid: string; prefix: string }[] = [{ oid: commit, prefix: '' }];
  // Trees count against the files cap too, so a crafted tree of empty directories stays bounded.
  while (queue.length > 0 && state.count < limits.maxFiles && state.trees++ < limits.maxFiles) {
    const { oid, prefix } = queue.shift() ?? { oid: commit, prefix: '' };
    const { tree } = await git.readTree({ fs, gitdir, oid });
    for (const entry of tree) {
      const path = `${prefix}${entry.path}`;
      if (entry.type === 'tree') {
        if (!SKIPPED_DIRS.has(entry.path)) queue.push({ oid: entry.oid, prefix: `${path}/` });
      } else if (entry.mode === '120000') {
        if (state.symlinks++ < 5) warnings.push(`skipped symlink ${path}`);
      } else if (entry.type === 'blob') {
        if (state.count++ >= limits.maxFiles) break;
        const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid });
        const keep = blob.byteLength <= limits.maxFileBytes && state.kept + blob.byteLength <= limits.maxTotalBytes;
        files[path] = keep ? blob : blob.byteLength;
        if (keep) state.kept += blob.byteLength;
      }
    }
  }
  if (state.count >= limits.maxFiles) warnings.push(`listed only the first ${limits.maxFiles} files`);
  if (state.kept >= limits.maxTotalBytes) warnings.push('read only part of the repository: the in-memory cap was reached');
  return memoryTree(files, { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes }, warnings);
}
