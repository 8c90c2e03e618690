import { definition } from '@scia/function-retrieve';
import { quietLogger, type BuiltFunction } from '@scia/runtime/step';
import type { Io } from '../command.js';
import type { PrimedStore } from './decide-store.js';

/** Retrieve is the built retrieve step and the Warnings its store's priming met (see primeStore). */
export interface Retrieve {
  built: BuiltFunction;
  primedWarnings: string[];
}

/**
 * buildRetrieve builds the retrieve step on the embedded store (or
 * SCIA_DATABASE_URL), once `primed` has opened it: the store is open once it
 * resolves, and the priming's own hold on it released.
 */
export function buildRetrieve(io: Io, env: NodeJS.ProcessEnv, primed: Promise<PrimedStore>): Promise<Retrieve> {
  const built = primed.then(async (p) => {
    try {
      return { built: await definition.build({ env, logger: quietLogger(), cwd: io.cwd }), primedWarnings: p.warnings };
    } finally {
      await p.release();
    }
  });
  // Awaited later; a failure must not go unhandled meanwhile.
  built.catch(() => undefined);
  return built;
}
