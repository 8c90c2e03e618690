import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CallEnv, envChoice, envFlag, envInteger, envText, parseEnv, redact, type Env } from '@scia/api';
import { openDatabase, type DatabaseConfig } from './db.js';
import { embedderFromEnv } from './embedders/index.js';
import { loadSeed, type ImportReport } from './import.js';
import { errorText, fail, ok, type Result } from '@scia/api';
import type { SearchMode } from './search.js';
import { DEFAULT_PROBES, openStore, type Store, type StoreClock } from './store.js';
import { defaultCacheDir, isFresh } from './pglite-template.js';
import { findStoreTemplate, loadStoreTemplate, saveStoreTemplate, storeTemplateKey } from './store-template.js';

/**
 * StoreEnv is every variable the store reads: SCIA_DATABASE_URL (else PGlite
 * in SCIA_DATA_DIR/pglite, started from a store template found in
 * SCIA_CACHE_DIR, default $XDG_CACHE_HOME/scia or ~/.cache/scia, or in
 * SCIA_STORE_TEMPLATE_DIR, where images keep the one built with them),
 * SCIA_RAG_SEED, SCIA_RAG_SEARCH, SCIA_RAG_PROBES, SCIA_RAG_PREWARM, the call budget, and
 * (kept as given, for embedderFromEnv) the embedder's.
 */
export const StoreEnv = z.looseObject({
  ...CallEnv.shape,
  SCIA_DATABASE_URL: envText(),
  SCIA_DATA_DIR: envText(),
  SCIA_CACHE_DIR: envText(),
  SCIA_STORE_TEMPLATE_DIR: envText(),
  XDG_CACHE_HOME: envText(),
  SCIA_RAG_SEED: envFlag(true),
  SCIA_RAG_SEARCH: envChoice(['auto', 'index', 'exact'], 'auto'),
  // 0: each IVF bucket's probes are planned from its lists and how many of its rows pass the filter.
  SCIA_RAG_PROBES: envInteger(DEFAULT_PROBES, { min: 0, max: 100_000 }),
  // true: the first search reads the IVF bucket indexes into shared buffers in the background, where pg_prewarm is installed.
  SCIA_RAG_PREWARM: envFlag(true),
});
export type StoreEnv = z.output<typeof StoreEnv>;

/** OpenedStore is a store ready to use, with the Warnings met opening it. */
export interface OpenedStore {
  store: Store;
  warnings: string[];
  /** seeded reports the example knowledge loaded into a fresh store (from its template or not). */
  seeded?: ImportReport;
  /** template is the store template a fresh embedded store was unpacked from. */
  template?: string;
}

/**
 * databaseFromEnv is PostgreSQL at SCIA_DATABASE_URL, else PGlite in
 * SCIA_DATA_DIR/pglite (SCIA_DATA_DIR defaults to .scia/data under `cwd`).
 */
export function databaseFromEnv(raw: Env, cwd: string): Result<DatabaseConfig> {
  const env = parseStoreEnv(raw);
  return env.ok ? { ok: true, value: databaseOf(env.value, cwd) } : env;
}

function databaseOf(env: StoreEnv, cwd: string): DatabaseConfig {
  const url = env.SCIA_DATABASE_URL;
  const budget = env.SCIA_CALL_BUDGET_MS;
  if (url !== undefined) return { kind: 'postgres', url, connectTimeoutMs: budget, statementTimeoutMs: Math.max(budget, 5000) };
  return { kind: 'pglite', dataDir: join(resolve(cwd, env.SCIA_DATA_DIR ?? join('.scia', 'data')), 'pglite') };
}

/** cacheDirOf is SCIA_CACHE_DIR (relative to `cwd`), else the user's cache. */
export function cacheDirOf(env: StoreEnv, cwd: string): string {
  return env.SCIA_CACHE_DIR === undefined ? defaultCacheDir({ XDG_CACHE_HOME: env.XDG_CACHE_HOME }) : resolve(cwd, env.SCIA_CACHE_DIR);
}

/** parseStoreEnv reads StoreEnv from `env`, naming every wrong variable. */
export function parseStoreEnv(env: Env): Result<StoreEnv> {
  return parseEnv(StoreEnv, env);
}

/**
 * storeFromEnv opens the store the environment names (see databaseFromEnv),
 * with the embedder SCIA_EMBEDDER names, searching with SCIA_RAG_SEARCH
 * (`auto`, default: planned per bucket from statistics; `index` or `exact` forced) and SCIA_RAG_PROBES. A fresh store is
 * loaded with the example knowledge unless SCIA_RAG_SEED=false.
 */
export async function storeFromEnv(raw: Env, opts: { cwd?: string; clock?: StoreClock } = {}): Promise<Result<OpenedStore>> {
  const parsed = parseStoreEnv(raw);
  return parsed.ok ? storeFrom(parsed.value, opts) : parsed;
}

/** storeFrom is storeFromEnv for an environment already parsed with StoreEnv. */
export async function storeFrom(env: StoreEnv, opts: { cwd?: string; clock?: StoreClock } = {}): Promise<Result<OpenedStore>> {
  const cwd = opts.cwd ?? process.cwd();
  const config = databaseOf(env, cwd);
  const where = config.kind === 'postgres' ? redact(config.url) : config.dataDir;
  // The embedder's own variables pass through StoreEnv as given; embedderFromEnv reads them.
  const { embedder, warnings } = await embedderFromEnv(env as Env);
  const cacheDir = cacheDirOf(env, cwd);
  const key = config.kind === 'pglite' && isFresh(config.dataDir) ? storeTemplateKey(embedder.id, env.SCIA_RAG_SEED) : undefined;
  const template = key === undefined ? undefined : findStoreTemplate(key, [cacheDir, env.SCIA_STORE_TEMPLATE_DIR]);
  let blob = loadStoreTemplate(template);
  let db;
  try {
    db = await openDatabase(config.kind === 'postgres' ? config : { ...config, cacheDir, ...(blob === undefined ? {} : { template: blob }) });
  } catch (err) {
    if (blob === undefined || config.kind === 'postgres') return fail(`cannot open the deployments store at ${where}: ${errorText(err)}`);
    // A template that does not start is skipped: the store, fresh a moment ago, starts from nothing instead.
    warnings.push(`cannot start the deployments store from its template ${template?.file ?? ''}: ${errorText(err)}; starting it from nothing`);
    blob = undefined;
    try {
      if (!config.dataDir.startsWith('memory://')) await rm(config.dataDir, { recursive: true, force: true });
      db = await openDatabase({ ...config, cacheDir });
    } catch (again) {
      return fail(`cannot open the deployments store at ${where}: ${errorText(again)}`);
    }
  }
  const mode: SearchMode = env.SCIA_RAG_SEARCH;
  const opened = await openStore({ db, embedder, mode, prewarm: env.SCIA_RAG_PREWARM, ...(env.SCIA_RAG_PROBES === 0 ? {} : { probes: env.SCIA_RAG_PROBES }), ...(opts.clock === undefined ? {} : { clock: opts.clock }) });
  if (!opened.ok) {
    await db.close().catch(() => undefined);
    return opened;
  }
  const { store, created } = opened.value;
  if (blob !== undefined && template !== undefined) return ok({ store, warnings, template: template.file, ...(template.seeded === undefined ? {} : { seeded: template.seeded }) });
  if (!created) return ok({ store, warnings });
  const seeded = env.SCIA_RAG_SEED ? await loadSeed(store) : undefined;
  if (seeded?.ok === false) return ok({ store, warnings: [...warnings, `cannot load the example knowledge: ${seeded.error}`] });
  // The next fresh store starts from this one. Best effort: a cache that cannot be written only means a slower start.
  if (key !== undefined) await saveStoreTemplate(db, cacheDir, key, seeded?.value);
  return ok({ store, warnings, ...(seeded === undefined ? {} : { seeded: seeded.value }) });
}

/** StoreHandle opens a store on first use and, while it cannot, tries again at most every retryMs. */
export interface StoreHandle {
  get(): Promise<Result<OpenedStore>>;
  close(): Promise<void>;
}

/** lazyStore wraps an opener: the first success is kept; a failure is returned until retryMs have passed. */
export function lazyStore(open: () => Promise<Result<OpenedStore>>, retryMs = 5000): StoreHandle {
  let current: Promise<Result<OpenedStore>> | undefined;
  let failedAt = 0;
  return {
    get() {
      if (current === undefined || (Date.now() - failedAt >= retryMs && failedAt !== 0)) {
        failedAt = 0;
        current = open().then((r) => {
          if (!r.ok) failedAt = Date.now();
          return r;
        });
      }
      return current;
    },
    async close() {
      const r = await current;
      current = undefined;
      if (r?.ok === true) await r.value.store.close();
    },
  };
}


/**
 * openStoreHandle opens the store StoreEnv names (PGlite creates its files and
 * the seed loads the first time, which must not spend a call's budget) and
 * hands back the handle; what it met on the way (the store down, an embedder
 * that fell back) goes to `warn`. A later call retries. Unless `background`,
 * it resolves once the store is open (or has failed to open); in the
 * background (a function binary, which should serve at once) it resolves at
 * once, the opening starts once `after` resolves (the step serving), and
 * calls meanwhile wait for it within their own budget, as for a store that is
 * slow to answer.
 */
export async function openStoreHandle(
  env: StoreEnv,
  opts: { cwd: string; warn(message: string): void; opened?(fields: { ms: number; template?: string }): void; background?: boolean; after?: Promise<void> },
): Promise<StoreHandle> {
  const started = performance.now();
  const after = opts.after ?? Promise.resolve();
  const handle = lazyStore(async () => {
    await after;
    return storeFrom(env, { cwd: opts.cwd, clock: env.SCIA_NOW });
  });
  const opening = handle.get().then((opened) => {
    if (!opened.ok) return opts.warn(`store unavailable until it is back: ${opened.error}`);
    for (const w of opened.value.warnings) opts.warn(w);
    opts.opened?.({ ms: Math.round(performance.now() - started), ...(opened.value.template === undefined ? {} : { template: opened.value.template }) });
  });
  if (opts.background !== true) await opening;
  return handle;
}
