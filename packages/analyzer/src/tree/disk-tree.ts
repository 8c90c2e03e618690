import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TREE_LIMITS, decodeText, type FileEntry, type FileTree, type ReadResult, type TreeLimits } from './types.js';

/** Directories never listed: version control internals and dependency caches, which say nothing of the app itself. */
const MAX_DEPTH = 32;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', 'target', 'vendor', '.next', 'dist', '.gradle', '.idea']);

/**
 * diskTree lists the regular files under `root` (breadth-first, sorted) without
 * following any symlink, and reads at most `limits.maxFileBytes` of a file.
 * Symlinks are skipped with a warning naming them; a read re-checks with lstat,
 * so a file swapped for a symlink after listing is not followed either.
 */
export async function diskTree(root: string, limits: TreeLimits = DEFAULT_TREE_LIMITS): Promise<FileTree> {
  const warnings: string[] = [];
  const entries = await listFiles(root, limits, warnings);
  const known = new Map(entries.map((e) => [e.path, e]));
  return {
    warnings,
    files: () => entries,
    read: async (path: string): Promise<ReadResult> => {
      if (!known.has(path)) return { ok: false, error: 'missing' };
      return readBounded(join(root, path), limits.maxFileBytes);
    },
  };
}

async function listFiles(root: string, limits: TreeLimits, warnings: string[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const queue = [''];
  let symlinks = 0;
  // Directories count against the files cap too: a tree of empty directories is no cheaper to walk.
  let visited = 0;
  while (queue.length > 0) {
    if (visited++ >= limits.maxFiles) {
      warnings.push(`walked only the first ${limits.maxFiles} directories`);
      break;
    }
    const dir = queue.shift() ?? '';
    const names = (await readdir(join(root, dir)).catch(() => [] as string[])).sort();
    for (const name of names) {
      const rel = dir === '' ? name : `${dir}/${name}`;
      const st = await lstat(join(root, rel)).catch(() => undefined);
      if (st === undefined) continue;
      if (st.isSymbolicLink()) {
        if (symlinks++ < 5) warnings.push(`skipped symlink ${rel}`);
      } else if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(name) && rel.split('/').length <= MAX_DEPTH) queue.push(rel);
      } else if (st.isFile()) {
        if (out.length >= limits.maxFiles) {
          warnings.push(`listed only the first ${limits.maxFiles} files`);
          return out.sort((a, b) => a.path.localeCompare(b.path));
        }
        out.push({ path: rel, size: st.size });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readBounded(file: string, maxBytes: number): Promise<ReadResult> {
  const st = await lstat(file).catch(() => undefined);
  if (st === undefined || !st.isFile()) return { ok: false, error: 'missing' };
  if (st.size > maxBytes) return { ok: false, error: 'too-large' };
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return { ok: false, error: 'unreadable' };
  try {
    const buf = Buffer.alloc(Math.min(st.size, maxBytes));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = decodeText(buf.subarray(0, bytesRead));
    return text === undefined ? { ok: false, error: 'binary' } : { ok: true, text };
  } finally {
    await handle.close();
  }
}
