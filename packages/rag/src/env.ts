import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CallEnv, envChoice, envFlag, envInteger, envText, parseEnv, redact, type Env } from '@scia/api';
import { openDatabase, type DatabaseConfig } from './db.js';
import { embedderFromEnv } from './embedders/index.js';
import { loadSeed, type ImportReport } from './import.js';
import { errorText, fail, ok, type Result } from '@scia/api';
import type { SearchMode } from './search.js';
import { DEFAULT_EF_SEARCH, openStore, type Store, type StoreClock } from './store.js';

/**
 * StoreEnv is every variable the store reads: SCIA_DATABASE_URL (else PGlite
 * in SCIA_DATA_DIR/pglite), SCIA_RAG_SEED, SCIA_RAG_SEARCH, SCIA_RAG_EF_SEARCH,
 * the call budget, and (kept as given, for embedderFromEnv) the embedder's.
 */
export const StoreEnv = z.looseObject({
  ...CallEnv.shape,
  SCIA_DATABASE_URL: envText(),
  SCIA_DATA_DIR: envText(),
  SCIA_RAG_SEED: envFlag(true),
  SCIA_RAG_SEARCH: envChoice(['auto', 'hnsw', 'exact'], 'auto'),
  // 0: each HNSW bucket's ef_search is planned from how many of its rows pass the filter.
  SCIA_RAG_EF_SEARCH: envInteger(DEFAULT_EF_SEARCH, { min: 0, max: 1000 }),
});
export type StoreEnv = z.output<typeof StoreEnv>;

/** OpenedStore is a store ready to use, with the Warnings met opening it. */
export interface OpenedStore {
  store: Store;
  warnings: string[];
  /** seeded reports the example knowledge loaded into a fresh store. */
  seeded?: ImportReport;
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

/** parseStoreEnv reads StoreEnv from `env`, naming every wrong variable. */
export function parseStoreEnv(env: Env): Result<StoreEnv> {
  return parseEnv(StoreEnv, env);
}

/**
 * storeFromEnv opens the store the environment names (see databaseFromEnv),
 * with the embedder SCIA_EMBEDDER names, searching with SCIA_RAG_SEARCH
 * (`auto`, default: planned per bucket from statistics; `hnsw` or `exact` forced) and SCIA_RAG_EF_SEARCH. A fresh store is
 * loaded with the example knowledge unless SCIA_RAG_SEED=false.
 */
export async function storeFromEnv(raw: Env, opts: { cwd?: string; clock?: StoreClock } = {}): Promise<Result<OpenedStore>> {
  const parsed = parseStoreEnv(raw);
  return parsed.ok ? storeFrom(parsed.value, opts) : parsed;
}

/** storeFrom is storeFromEnv for an environment already parsed with StoreEnv. */
export async function storeFrom(env: StoreEnv, opts: { cwd?: string; clock?: StoreClock } = {}): Promise<Result<OpenedStore>> {
  const config = databaseOf(env, opts.cwd ?? process.cwd());
  const where = config.kind === 'postgres' ? redact(config.url) : config.dataDir;
  // The embedder's own variables pass through StoreEnv as given; embedderFromEnv reads them.
  const { embedder, warnings } = await embedderFromEnv(env as Env);
  let db;
  try {
    db = await openDatabase(config);
  } catch (err) {
    return fail(`cannot open the deployments store at ${where}: ${errorText(err)}`);
  }
  const mode: SearchMode = env.SCIA_RAG_SEARCH;
  const opened = await openStore({ db, embedder, mode, ...(env.SCIA_RAG_EF_SEARCH === 0 ? {} : { efSearch: env.SCIA_RAG_EF_SEARCH }), ...(opts.clock === undefined ? {} : { clock: opts.clock }) });
  if (!opened.ok) {
    await db.close().catch(() => undefined);
    return opened;
  }
  const { store, created } = opened.value;
  if (!created || !env.SCIA_RAG_SEED) return ok({ store, warnings });
  const seeded = await loadSeed(store);
  if (!seeded.ok) return ok({ store, warnings: [...warnings, `cannot load the example knowledge: ${seeded.error}`] });
  return ok({ store, warnings, seeded: seeded.value });
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
 * openStoreHandle opens the store StoreEnv names before a step serves (PGlite
 * creates its files and the seed loads the first time, which must not spend a
 * call's budget) and hands back the handle; what it met on the way (the store
 * down, an embedder that fell back) goes to `warn`. A later call retries.
 */
export async function openStoreHandle(env: StoreEnv, opts: { cwd: string; warn(message: string): void }): Promise<StoreHandle> {
  const handle = lazyStore(() => storeFrom(env, { cwd: opts.cwd, clock: env.SCIA_NOW }));
  const opened = await handle.get();
  if (!opened.ok) opts.warn(`store unavailable until it is back: ${opened.error}`);
  else for (const w of opened.value.warnings) opts.warn(w);
  return handle;
}
