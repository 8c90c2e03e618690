import { join, resolve } from 'node:path';
import { redact } from '@scia/api';
import { openDatabase, type DatabaseConfig } from './db.js';
import { embedderFromEnv } from './embedders/index.js';
import { loadSeed, type ImportReport } from './import.js';
import { errorText, fail, ok, type Result } from './result.js';
import type { SearchMode } from './search.js';
import { DEFAULT_EF_SEARCH, openStore, type Store, type StoreClock } from './store.js';

/** DEFAULT_CALL_BUDGET_MS bounds one call's wait on the store (env SCIA_CALL_BUDGET_MS). */
export const DEFAULT_CALL_BUDGET_MS = 3000;

/** OpenedStore is a store ready to use, with the Warnings met opening it. */
export interface OpenedStore {
  store: Store;
  warnings: string[];
  /** seeded reports the example knowledge loaded into a fresh store. */
  seeded?: ImportReport;
}

/** callBudgetMs reads SCIA_CALL_BUDGET_MS. */
export function callBudgetMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env['SCIA_CALL_BUDGET_MS'] ?? DEFAULT_CALL_BUDGET_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_CALL_BUDGET_MS;
}

/**
 * databaseFromEnv is PostgreSQL at SCIA_DATABASE_URL, else PGlite in
 * SCIA_DATA_DIR/pglite (SCIA_DATA_DIR defaults to .scia/data under `cwd`).
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv, cwd: string): DatabaseConfig {
  const url = env['SCIA_DATABASE_URL']?.trim();
  const budget = callBudgetMs(env);
  if (url !== undefined && url !== '') return { kind: 'postgres', url, connectTimeoutMs: budget, statementTimeoutMs: Math.max(budget, 5000) };
  return { kind: 'pglite', dataDir: join(resolve(cwd, env['SCIA_DATA_DIR'] ?? join('.scia', 'data')), 'pglite') };
}

/**
 * storeFromEnv opens the store the environment names (see databaseFromEnv),
 * with the embedder SCIA_EMBEDDER names, searching with SCIA_RAG_SEARCH
 * (`hnsw`, default, or `exact`) and SCIA_RAG_EF_SEARCH. A fresh store is
 * loaded with the example knowledge unless SCIA_RAG_SEED=false.
 */
export async function storeFromEnv(env: NodeJS.ProcessEnv, opts: { cwd?: string; clock?: StoreClock } = {}): Promise<Result<OpenedStore>> {
  const config = databaseFromEnv(env, opts.cwd ?? process.cwd());
  const where = config.kind === 'postgres' ? redact(config.url) : config.dataDir;
  const { embedder, warnings } = await embedderFromEnv(env);
  let db;
  try {
    db = await openDatabase(config);
  } catch (err) {
    return fail(`cannot open the deployments store at ${where}: ${errorText(err)}`);
  }
  const mode: SearchMode = env['SCIA_RAG_SEARCH'] === 'exact' ? 'exact' : 'hnsw';
  const ef = Number(env['SCIA_RAG_EF_SEARCH'] ?? DEFAULT_EF_SEARCH);
  const opened = await openStore({ db, embedder, mode, efSearch: Number.isInteger(ef) && ef > 0 ? ef : DEFAULT_EF_SEARCH, ...(opts.clock === undefined ? {} : { clock: opts.clock }) });
  if (!opened.ok) {
    await db.close().catch(() => undefined);
    return opened;
  }
  const { store, created } = opened.value;
  if (!created || env['SCIA_RAG_SEED'] === 'false') return ok({ store, warnings });
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

