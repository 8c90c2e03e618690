import { clockFromEnv } from '@scia/api';
import { callBudgetMs, lazyStore, storeFromEnv, type StoreHandle } from '@scia/rag';
import type { FunctionMain, Logger } from '@scia/runtime';
import { runFunction, type RetrieveDeps, type Retriever } from './fn.js';

/**
 * retrieverOf searches the store behind `handle`, adding the Warnings met
 * opening it (an embedding model that fell back to hashing) to each answer.
 */
export function retrieverOf(handle: StoreHandle): Retriever {
  return {
    async search(query) {
      const opened = await handle.get();
      if (!opened.ok) return opened;
      const found = await opened.value.store.search(query);
      if (!found.ok) return found;
      return { ok: true, value: { ...found.value, warnings: [...opened.value.warnings, ...found.value.warnings] } };
    },
  };
}

/**
 * adaptersFromEnv builds the retrieve step's store from the environment:
 * PostgreSQL at SCIA_DATABASE_URL, else PGlite in SCIA_DATA_DIR, the embedder
 * SCIA_EMBEDDER names, and SCIA_CALL_BUDGET_MS per call.
 */
export function adaptersFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): { deps: RetrieveDeps; handle: StoreHandle } {
  const handle = lazyStore(() => storeFromEnv(env, { cwd, clock: clockFromEnv(env) }));
  return { deps: { retriever: retrieverOf(handle), budgetMs: callBudgetMs(env) }, handle };
}

async function warmUp(handle: StoreHandle, logger: Logger): Promise<void> {
  // Opening is slow the first time (PGlite creates its files, the seed loads):
  // done before serving, so the first call's budget is not spent on it.
  const opened = await handle.get();
  if (!opened.ok) logger.warn({ err: opened.error }, 'store unavailable; retrieving nothing until it is back');
  else for (const w of opened.value.warnings) logger.warn(w);
}

/** retrieveDefinition serves function-scia-retrieve; each build owns its store until close. */
export function retrieveDefinition(env: NodeJS.ProcessEnv = process.env): FunctionMain {
  let handle: StoreHandle | undefined;
  return {
    name: 'function-scia-retrieve',
    async build(logger) {
      const adapters = adaptersFromEnv(env);
      handle = adapters.handle;
      await warmUp(handle, logger);
      return (req) => runFunction(req, adapters.deps);
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}

/** definition serves function-scia-retrieve with the process environment. */
export const definition: FunctionMain = retrieveDefinition();
