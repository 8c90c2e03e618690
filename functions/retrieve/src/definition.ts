import { openStoreHandle, StoreEnv, type StoreHandle } from '@scia/rag';
import { defineFunction, type Adapters, type BuildContext } from '@scia/runtime/step';
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

async function adapters(env: StoreEnv, ctx: BuildContext): Promise<Adapters<RetrieveDeps>> {
  const handle = await openStoreHandle(env, { cwd: ctx.cwd, warn: (m) => ctx.logger.warn(m), opened: (f) => ctx.logger.info(f, 'deployments store open'), background: ctx.background, after: ctx.serving });
  return { deps: { retriever: retrieverOf(handle), budgetMs: env.SCIA_CALL_BUDGET_MS }, close: () => handle.close() };
}

/** definition is function-scia-retrieve: the store of StoreEnv (SCIA_DATABASE_URL, else PGlite in SCIA_DATA_DIR). */
export const definition = defineFunction({
  name: 'function-scia-retrieve',
  env: StoreEnv,
  adapters,
  run: (req, deps: RetrieveDeps) => runFunction(req, deps),
});
