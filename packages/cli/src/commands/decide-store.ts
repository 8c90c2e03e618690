import { parseStoreEnv, storeFrom } from '@scia/rag';
import type { Io } from '../command.js';

/** PrimedStore is an embedded store opened ahead of the retrieve step, and what its opening met. */
export interface PrimedStore {
  warnings: string[];
  /** release closes this opening; the retrieve step's own opening of the directory keeps PGlite running. */
  release(): Promise<void>;
}

/**
 * primeStore starts opening the embedded store the retrieve step will open
 * (same environment, clock and directory) as soon as @scia/rag is loaded,
 * so that unpacking a fresh one from its template overlaps the loading of
 * the rest of the pipeline. It resolves once the store is open; the retrieve
 * step, built after, shares its PGlite instance (one per data directory per
 * process) and finds it migrated and seeded. Nothing is primed for
 * PostgreSQL or a model-backed embedder, nor when the opening fails: the
 * retrieve step then opens the store, or meets the failure, as it would have.
 */
export async function primeStore(io: Io, env: NodeJS.ProcessEnv): Promise<PrimedStore> {
  const none: PrimedStore = { warnings: [], release: () => Promise.resolve() };
  const parsed = parseStoreEnv(env);
  // A model-backed embedder would load twice (here and in the step): only the default hashing one is primed.
  const embedder = (env['SCIA_EMBEDDER'] ?? '').trim();
  if (!parsed.ok || parsed.value.SCIA_DATABASE_URL !== undefined || (embedder !== '' && embedder !== 'hashing')) return none;
  const opened = await storeFrom(parsed.value, { cwd: io.cwd, clock: parsed.value.SCIA_NOW }).catch(() => undefined);
  if (opened?.ok !== true) return none;
  return { warnings: opened.value.warnings, release: () => opened.value.store.close() };
}
