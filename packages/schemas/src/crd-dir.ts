import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CrdDirSource tells which rule chose the CRD directory. */
export type CrdDirSource = 'env' | 'reference' | 'cache';

/** CrdDir is where CRDs are read from, and what was looked at to decide. */
export interface CrdDir {
  dir: string;
  source: CrdDirSource;
  exists: boolean;
  /** searched lists every directory considered, in order. */
  searched: string[];
}

/** ROOT_PACKAGE_NAME is the `name` of the repository's root package.json. */
const ROOT_PACKAGE_NAME = 'scia';

/**
 * crdDir resolves the CRD directory: env `SCIA_CRD_DIR` when set; else
 * `<repo root>/../shared/reference` when it exists (the repo root is found by
 * walking up from this module, then from the working directory, to the
 * package.json named "scia"); else the cache `~/.cache/scia/crds` that
 * `npm run crds` fills.
 */
export function crdDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CrdDir {
  const fromEnv = env['SCIA_CRD_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = resolve(cwd, fromEnv);
    return { dir, source: 'env', exists: existsSync(dir), searched: [dir] };
  }
  const searched: string[] = [];
  const roots = [repoRootFrom(dirname(fileURLToPath(import.meta.url))), repoRootFrom(cwd)];
  for (const root of roots) {
    if (root === undefined) continue;
    const dir = resolve(root, '..', 'shared', 'reference');
    if (searched.includes(dir)) continue;
    searched.push(dir);
    if (existsSync(dir)) return { dir, source: 'reference', exists: true, searched };
  }
  const cache = join(env['HOME'] ?? homedir(), '.cache', 'scia', 'crds');
  searched.push(cache);
  return { dir: cache, source: 'cache', exists: existsSync(cache), searched };
}

/** repoRootFrom walks up from `start` to the directory whose package.json is named "scia". */
export function repoRootFrom(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (isRepoRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isRepoRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof pkg === 'object' && pkg !== null && (pkg as { name?: unknown }).name === ROOT_PACKAGE_NAME;
  } catch {
    return false;
  }
}
