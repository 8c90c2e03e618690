import { definition } from '@scia/function-retrieve';
import { silentLogger, type BuiltFunction } from '@scia/runtime';
import type { Io } from '../command.js';

/**
 * buildRetrieve builds the retrieve step on the embedded store (or
 * SCIA_DATABASE_URL): the store is open once it resolves. `scia decide` loads
 * this module before the rest of its pipeline, so the store's opening (mostly
 * file writes and WebAssembly compiling off the main thread) overlaps the
 * loading of the analyze and decide steps.
 */
export function buildRetrieve(io: Io): Promise<BuiltFunction> {
  const built = definition.build({ env: { ...io.env, SCIA_CALL_BUDGET_MS: '60000' }, logger: silentLogger(), cwd: io.cwd });
  // Awaited later; a failure must not go unhandled meanwhile.
  built.catch(() => undefined);
  return built;
}
