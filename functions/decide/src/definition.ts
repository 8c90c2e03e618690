import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { CallEnv, envInteger, envText, envUrl } from '@scia/api';
import { decide } from '@scia/decider';
import { SingleFlight, defineFunction, type Adapters } from '@scia/runtime/step';
import { FileDecisionCache, LayeredDecisionCache, MemoryDecisionCache, type DecisionCache } from './cache.js';
import { runFunction, type DecideDeps } from './fn.js';
import { modelSource } from './models.js';
import { SqlDecisionCache } from './sql-cache.js';

/**
 * DecideEnv: the model (OLLAMA_HOST, SCIA_OLLAMA_MODEL; none means the rules
 * decide; SCIA_OLLAMA_TIMEOUT_MS bounds an answer), where decisions are kept
 * by hash (PostgreSQL's `scia_decisions` at SCIA_DATABASE_URL, else files
 * under SCIA_DATA_DIR/decisions), the call budget and the clock.
 */
export const DecideEnv = z.object({
  ...CallEnv.shape,
  OLLAMA_HOST: envUrl('http://ollama.scia-system:11434'),
  SCIA_OLLAMA_MODEL: envText(),
  SCIA_OLLAMA_TIMEOUT_MS: envInteger(120_000, { min: 1, unit: 'milliseconds' }),
  SCIA_DATABASE_URL: envText(),
  SCIA_DATA_DIR: envText(),
});
type DecideEnv = z.output<typeof DecideEnv>;

/** definition is function-scia-decide; each build owns its decision store until close. */
export const definition = defineFunction({
  name: 'function-scia-decide',
  env: DecideEnv,
  adapters(env, { cwd }): Adapters<DecideDeps> {
    const store = decisionStore(env, cwd);
    return {
      deps: {
        decide: (input, model) => decide(input, { model }),
        modelFor: modelSource({ host: env.OLLAMA_HOST, model: env.SCIA_OLLAMA_MODEL, timeoutMs: env.SCIA_OLLAMA_TIMEOUT_MS }),
        cache: new LayeredDecisionCache(new MemoryDecisionCache(), store.cache),
        pending: new SingleFlight(),
        budgetMs: env.SCIA_CALL_BUDGET_MS,
      },
      close: () => store.close(),
    };
  },
  run: (req, deps) => runFunction(req, deps),
});

function decisionStore(env: DecideEnv, cwd: string): { cache: DecisionCache; close(): Promise<void> } {
  const url = env.SCIA_DATABASE_URL;
  if (url !== undefined) {
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000, query_timeout: 2000, allowExitOnIdle: true });
    // An idle client's connection error (a database restart) must not crash the function.
    pool.on('error', () => undefined);
    return { cache: new SqlDecisionCache(pool), close: () => pool.end() };
  }
  const dataDir = resolve(cwd, env.SCIA_DATA_DIR ?? join('.scia', 'data'));
  return { cache: new FileDecisionCache(join(dataDir, 'decisions')), close: () => Promise.resolve() };
}
