import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's initdb takes seconds (tens under load), and migrating and seeding a
 * fresh store more: a fresh data directory is instead unpacked from a
 * template, a gzipped tarball of a data directory PGlite dumped. Two kinds:
 * a just-initialized, empty cluster (`pglite-<version>-initdb.tar.gz`, for
 * any store), and a whole store, migrated and seeded (`store-<key>.tar.gz`,
 * see storeTemplateKey). Templates are best effort: any failure to read or
 * write one only means a slower start.
 */

/** defaultCacheDir is where templates are kept when SCIA_CACHE_DIR is unset: the user's cache. */
export function defaultCacheDir(env: { XDG_CACHE_HOME?: string | undefined }): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'scia');
}

/** initdbTemplatePath is the empty-cluster template in `cacheDir`, for this PGlite. */
export function initdbTemplatePath(cacheDir: string | undefined): string | undefined {
  const version = packageVersion('@electric-sql/pglite');
  return cacheDir === undefined || version === undefined ? undefined : join(cacheDir, `pglite-${version}-initdb.tar.gz`);
}

/** readTemplate returns a template's bytes, if there is one at `path`. */
export function readTemplate(path: string | undefined): Buffer | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** saveTemplate keeps an instance's data directory at `path` (unless one is there), written whole or not at all. */
export async function saveTemplate(db: PGlite, path: string | undefined): Promise<void> {
  if (path === undefined || existsSync(path)) return;
  try {
    writeAtomically(path, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
  } catch {
    // best effort: the next fresh store starts the slow way again
  }
}

/** writeAtomically writes `bytes` to `path` through a file renamed into place, so readers see all or nothing. */
export function writeAtomically(path: string, bytes: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
}

/** isFresh tells whether a data directory holds no cluster yet (`memory://` is always fresh). */
export function isFresh(dataDir: string | undefined): boolean {
  return dataDir === undefined || dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
}

/** fingerprint is a short digest of what a template's content depends on. */
export function fingerprint(parts: readonly unknown[]): string {
  const versions = [packageVersion('@electric-sql/pglite'), packageVersion('@electric-sql/pglite-pgvector')];
  return createHash('sha256').update(JSON.stringify([...versions, ...parts])).digest('hex').slice(0, 20);
}

function packageVersion(name: string): string | undefined {
  try {
    const main = import.meta.resolve(name);
    let dir = dirname(new URL(main).pathname);
    // Walk up from the entry to the package's own package.json.
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === name && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
