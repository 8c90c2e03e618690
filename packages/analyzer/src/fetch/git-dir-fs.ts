import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { PromiseFsClient } from 'isomorphic-git';

/** GitDirFs is the read-only file system isomorphic-git reads a local `.git` through, and what it refused. */
export interface GitDirFs {
  fs: PromiseFsClient;
  /** refused lists the paths under the git directory that were symlinks, relative to it. */
  refused: string[];
}

/**
 * gitDirFs lets isomorphic-git read `gitdir` and nothing else: a path outside
 * it, or one that passes through a symlink on the way (`.git/HEAD ->
 * /etc/passwd`, `.git/refs -> /`), fails as if missing and is recorded in
 * `refused`; the last component is opened with O_NOFOLLOW, so a file swapped
 * for a symlink after the check is not followed either. Writes are refused.
 */
export function gitDirFs(gitdir: string): GitDirFs {
  const root = resolve(gitdir);
  const refused: string[] = [];
  const guard = async (path: string): Promise<string> => {
    const full = resolve(path);
    const rel = relative(root, full);
    if (rel.startsWith('..') || resolve(root, rel) !== full) throw missing(path);
    let at = root;
    for (const part of rel === '' ? [] : rel.split(sep)) {
      at = `${at}${sep}${part}`;
      const st = await lstat(at).catch(() => undefined);
      if (st === undefined) throw missing(path);
      if (st.isSymbolicLink()) {
        refused.push(relative(root, at));
        throw missing(path);
      }
    }
    return full;
  };
  const readFile = async (path: string, opts?: { encoding?: BufferEncoding } | BufferEncoding): Promise<Buffer | string> => {
    const handle = await open(await guard(path), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const data = await handle.readFile();
      const encoding = typeof opts === 'string' ? opts : opts?.encoding;
      return encoding === undefined ? data : data.toString(encoding);
    } finally {
      await handle.close();
    }
  };
  const readOnly = (): Promise<never> => Promise.reject(Object.assign(new Error('read-only'), { code: 'EROFS' }));
  return {
    refused,
    fs: {
      promises: {
        readFile,
        stat: async (path: string) => lstat(await guard(path)),
        lstat: async (path: string) => lstat(await guard(path)),
        readdir: async (path: string) => readdir(await guard(path)),
        readlink: () => Promise.reject(missing('a symlink')),
        writeFile: readOnly,
        mkdir: readOnly,
        rmdir: readOnly,
        unlink: readOnly,
        symlink: readOnly,
        chmod: readOnly,
      },
    },
  };
}

function missing(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' });
}
