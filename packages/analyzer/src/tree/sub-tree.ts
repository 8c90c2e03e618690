import type { FileEntry, FileTree } from './types.js';

/** subTree views the directory `prefix` of `tree` as a tree of its own (for `spec.repository.path`). */
export function subTree(tree: FileTree, prefix: string): FileTree {
  const clean = prefix.replace(/^\.?\/+|\/+$/g, '');
  if (clean === '') return tree;
  const start = `${clean}/`;
  const entries: FileEntry[] = tree
    .files()
    .filter((e) => e.path.startsWith(start))
    .map((e) => ({ path: e.path.slice(start.length), size: e.size }));
  return {
    warnings: tree.warnings,
    files: () => entries,
    read: (path: string) => tree.read(`${start}${path}`),
  };
}
