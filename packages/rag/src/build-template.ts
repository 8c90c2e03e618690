import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fail, ok, type Env, type Result } from '@scia/api';
import { parseStoreEnv, storeFrom } from './env.js';
import { isFresh } from './pglite-template.js';
import { findStoreTemplate, storeTemplateKey } from './store-template.js';

/**
 * buildStoreTemplate leaves in `dir` the template of a fresh embedded store
 * as `env` would open it (its embedder, SCIA_RAG_SEED), building it in a
 * scratch data directory unless `dir` holds it already, and returns its file.
 * Images run it when they are built (SCIA_STORE_TEMPLATE_DIR).
 */
export async function buildStoreTemplate(dir: string, env: Env): Promise<Result<string>> {
  const scratch = mkdtempSync(join(tmpdir(), 'scia-store-template-'));
  const cacheDir = resolve(dir);
  try {
    // An embedded store in a scratch directory, with `dir` as its only template cache: it saves its template there.
    const { SCIA_DATABASE_URL: _url, SCIA_STORE_TEMPLATE_DIR: _templates, ...rest } = env;
    const parsed = parseStoreEnv({ ...rest, SCIA_DATA_DIR: scratch, SCIA_CACHE_DIR: cacheDir });
    if (!parsed.ok) return parsed;
    const opened = await storeFrom(parsed.value);
    if (!opened.ok) return opened;
    const embedder = opened.value.store.embedder.id;
    await opened.value.store.close();
    const found = isFresh(join(scratch, 'pglite')) ? undefined : findStoreTemplate(storeTemplateKey(embedder, parsed.value.SCIA_RAG_SEED), [cacheDir]);
    return found === undefined ? fail(`cannot build a store template in ${cacheDir}: the store was not saved`) : ok(found.file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
