import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fail, ok, type Env, type Result } from '@scia/api';
import { embedderFromEnv } from './embedders/index.js';
import { cacheDirOf, parseStoreEnv, storeFrom } from './env.js';
import { writeAtomically } from './pglite-template.js';
import { findStoreTemplate, storeTemplateKey } from './store-template.js';

/**
 * buildStoreTemplate leaves in `dir` the template of a fresh embedded store
 * as `env` would open it (its embedder, SCIA_RAG_SEED), built from nothing
 * (no cached template) in a scratch directory, and returns its file.
 * Images run it when they are built (SCIA_STORE_TEMPLATE_DIR).
 */
export async function buildStoreTemplate(dir: string, env: Env): Promise<Result<string>> {
  const scratch = mkdtempSync(join(tmpdir(), 'scia-store-template-'));
  const target = resolve(dir);
  const cacheDir = join(scratch, 'cache');
  try {
    // A fresh embedded store in a scratch directory, with a cache of its own: it saves its template there.
    const { SCIA_DATABASE_URL: _url, SCIA_STORE_TEMPLATE_DIR: _templates, ...rest } = env;
    const parsed = parseStoreEnv({ ...rest, SCIA_DATA_DIR: join(scratch, 'data'), SCIA_CACHE_DIR: cacheDir });
    if (!parsed.ok) return parsed;
    const opened = await storeFrom(parsed.value);
    if (!opened.ok) return opened;
    const embedder = opened.value.store.embedder.id;
    await opened.value.store.close();
    const found = findStoreTemplate(storeTemplateKey(embedder, parsed.value.SCIA_RAG_SEED), [cacheDir]);
    if (found === undefined) return fail(`cannot build a store template in ${target}: the store was not saved`);
    mkdirSync(target, { recursive: true });
    const file = join(target, basename(found.file));
    // Written whole or not at all: a store may be looking in `dir` meanwhile (the user's cache).
    for (const [from, to] of [[`${found.file}.json`, `${file}.json`], [found.file, file]] as const) if (existsSync(from)) writeAtomically(to, readFileSync(from));
    return ok(file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * ensureStoreTemplate leaves the template of a fresh embedded store, as `env`
 * would open it, in the cache a store reads (SCIA_CACHE_DIR, else the
 * user's), building it only when neither that cache nor
 * SCIA_STORE_TEMPLATE_DIR holds one for its key. `npm run build` runs it, so
 * a checkout's first fresh store starts from a template, not from nothing.
 */
export async function ensureStoreTemplate(env: Env, cwd: string): Promise<Result<{ file: string; built: boolean }>> {
  const parsed = parseStoreEnv(env);
  if (!parsed.ok) return parsed;
  const { embedder } = await embedderFromEnv(env);
  const cacheDir = cacheDirOf(parsed.value, cwd);
  const found = findStoreTemplate(storeTemplateKey(embedder.id, parsed.value.SCIA_RAG_SEED), [cacheDir, parsed.value.SCIA_STORE_TEMPLATE_DIR]);
  if (found !== undefined) return ok({ file: found.file, built: false });
  const built = await buildStoreTemplate(cacheDir, env);
  return built.ok ? ok({ file: built.value, built: true }) : built;
}
