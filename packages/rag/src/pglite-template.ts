import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's initdb takes seconds (tens under load): a fresh data directory is
 * instead unpacked from a cached copy of a just-initialized, empty one. The
 * cache is keyed by PGlite's version and is best effort: any failure to read or
 * write it only means a slower start.
 */
export function templatePath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const version = pgliteVersion();
  if (version === undefined) return undefined;
  const base = env['SCIA_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'scia');
  return join(base, `pglite-${version}-initdb.tar.gz`);
}

/** readTemplate returns the cached empty data directory, if there is one. */
export function readTemplate(path: string | undefined): Blob | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return undefined;
  }
}

/** saveTemplate keeps a just-created instance's data directory for the next fresh one. */
export async function saveTemplate(db: PGlite, path: string | undefined): Promise<void> {
  if (path === undefined || existsSync(path)) return;
  try {
    const blob = await db.dumpDataDir('gzip');
    mkdirSync(join(path, '..'), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, path);
  } catch {
    // best effort: the next fresh store runs initdb again
  }
}

/** isFresh tells whether a data directory holds no cluster yet. */
export function isFresh(dataDir: string | undefined): boolean {
  return dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'));
}

function pgliteVersion(): string | undefined {
  try {
    const main = import.meta.resolve('@electric-sql/pglite');
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', main), 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
