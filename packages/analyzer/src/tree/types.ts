/** FileEntry is one regular file of a tree: its slash-separated path from the root and its size in bytes. */
export interface FileEntry {
  path: string;
  size: number;
}

/** ReadResult is a file's text, or why it was not read. */
export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; error: 'missing' | 'too-large' | 'binary' | 'unreadable' };

/**
 * FileTree is a repository's files as the analyzer sees them: a bounded listing
 * of regular files (never symlinks, never anything outside the root) and reads
 * that stop at a size cap. Implementations are in-memory, on-disk and git trees.
 */
export interface FileTree {
  /** files lists the regular files, sorted by path, at most the files cap. */
  files(): readonly FileEntry[];
  /** read returns the UTF-8 text of `path`, refusing files over the cap and binary files. */
  read(path: string): Promise<ReadResult>;
  /** warnings says what the listing skipped (symlinks, caps reached). */
  readonly warnings: readonly string[];
}

/** TreeLimits bound what a tree lists and reads. */
export interface TreeLimits {
  /** maxFiles is the most files listed; the rest are skipped with a warning. */
  maxFiles: number;
  /** maxFileBytes is the largest file read; larger ones are listed but never read. */
  maxFileBytes: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxFiles: 20_000, maxFileBytes: 1024 * 1024 };

/** decodeText returns the UTF-8 text of `bytes`, or undefined when they look binary (a NUL in the first 8 KiB). */
export function decodeText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return undefined;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** isSafeRelativePath tells whether `path` stays inside its root: relative, no `..`, no empty segments. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
