import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fail, ok, type Env, type Result } from '@scia/api';
import { parseStoreEnv, storeFrom } from './env.js';
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
    for (const [from, to] of [[`${found.file}.json`, `${file}.json`], [found.file, file]] as const) if (existsSync(from)) copyFileSync(from, to);
    return ok(file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
