import { DEFAULT_TREE_LIMITS, decodeText, isSafeRelativePath, type FileEntry, type FileTree, type ReadResult, type TreeLimits } from './types.js';

/** MemoryFiles maps a relative path to its content; a number stands for a file of that size whose content was not kept. */
export type MemoryFiles = Record<string, string | Uint8Array | number>;

/**
 * memoryTree builds a FileTree over in-memory files. Unsafe paths (absolute,
 * with `..`) are dropped with a warning, as are files past the files cap.
 */
export function memoryTree(files: MemoryFiles, limits: TreeLimits = DEFAULT_TREE_LIMITS, warnings: string[] = []): FileTree {
  const data = new Map<string, Uint8Array | number>();
  const encoder = new TextEncoder();
  const paths = Object.keys(files).sort();
  for (const path of paths) {
    if (!isSafeRelativePath(path)) {
      warnings.push(`skipped unsafe path ${JSON.stringify(path.slice(0, 80))}`);
      continue;
    }
    if (data.size >= limits.maxFiles) {
      warnings.push(`listed only the first ${limits.maxFiles} files`);
      break;
    }
    const content = files[path];
    if (content !== undefined) data.set(path, typeof content === 'string' ? encoder.encode(content) : content);
  }
  const entries: FileEntry[] = [...data].map(([path, c]) => ({ path, size: typeof c === 'number' ? c : c.byteLength }));
  return {
    warnings,
    files: () => entries,
    read: (path: string): Promise<ReadResult> => Promise.resolve(readMemory(data.get(path), limits.maxFileBytes)),
  };
}

function readMemory(content: Uint8Array | number | undefined, maxFileBytes: number): ReadResult {
  if (content === undefined) return { ok: false, error: 'missing' };
  if (typeof content === 'number' || content.byteLength > maxFileBytes) return { ok: false, error: 'too-large' };
  const text = decodeText(content);
  return text === undefined ? { ok: false, error: 'binary' } : { ok: true, text };
}
