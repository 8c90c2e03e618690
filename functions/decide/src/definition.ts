import { join, resolve } from 'node:path';
import pg from 'pg';
import { decide } from '@scia/decider';
import type { FunctionMain } from '@scia/runtime';
import { FileDecisionCache, LayeredDecisionCache, MemoryDecisionCache, type DecisionCache } from './cache.js';
import { runFunction, type DecideDeps } from './fn.js';
import { modelSource } from './models.js';
import { PendingWork } from './pending.js';
import { SqlDecisionCache } from './sql-cache.js';

/** DEFAULT_CALL_BUDGET_MS is how long one call waits for a decision (env SCIA_CALL_BUDGET_MS). */
export const DEFAULT_CALL_BUDGET_MS = 3000;

/** DecideAdapters are the step's deps and how to release what they hold. */
export interface DecideAdapters {
  deps: DecideDeps;
  close(): Promise<void>;
}

/**
 * adaptersFromEnv builds the decide step's adapters: the model from OLLAMA_HOST
 * and SCIA_OLLAMA_MODEL (none: the rules decide; SCIA_OLLAMA_TIMEOUT_MS bounds
 * an answer), decisions kept by hash in memory and in PostgreSQL's
 * `scia_decisions` when SCIA_DATABASE_URL is set, else in files under
 * SCIA_DATA_DIR/decisions, and the call budget from SCIA_CALL_BUDGET_MS.
 */
export function adaptersFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): DecideAdapters {
  const budget = Number(env['SCIA_CALL_BUDGET_MS'] ?? DEFAULT_CALL_BUDGET_MS);
  const timeout = Number(env['SCIA_OLLAMA_TIMEOUT_MS'] ?? Number.NaN);
  const store = decisionStore(env, cwd);
  return {
    deps: {
      decide: (input, model) => decide(input, { model }),
      modelFor: modelSource({
        host: nonEmpty(env['OLLAMA_HOST']),
        model: nonEmpty(env['SCIA_OLLAMA_MODEL']),
        timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
      }),
      cache: new LayeredDecisionCache(new MemoryDecisionCache(), store.cache),
      pending: new PendingWork(),
      budgetMs: Number.isFinite(budget) && budget >= 0 ? budget : DEFAULT_CALL_BUDGET_MS,
    },
    close: () => store.close(),
  };
}

/** depsFromEnv is adaptersFromEnv's deps, for callers that run one request and exit. */
export function depsFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): DecideDeps {
  return adaptersFromEnv(env, cwd).deps;
}

function decisionStore(env: NodeJS.ProcessEnv, cwd: string): { cache: DecisionCache; close(): Promise<void> } {
  const url = nonEmpty(env['SCIA_DATABASE_URL']);
  if (url !== undefined) {
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000, query_timeout: 2000, allowExitOnIdle: true });
    // An idle client's connection error (a database restart) must not crash the function.
    pool.on('error', () => undefined);
    return { cache: new SqlDecisionCache(pool), close: () => pool.end() };
  }
  const dataDir = resolve(cwd, env['SCIA_DATA_DIR'] ?? join('.scia', 'data'));
  return { cache: new FileDecisionCache(join(dataDir, 'decisions')), close: () => Promise.resolve() };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

let adapters: DecideAdapters | undefined;

/** definition serves function-scia-decide. */
export const definition: FunctionMain = {
  name: 'function-scia-decide',
  build() {
    adapters = adaptersFromEnv(process.env);
    const { deps } = adapters;
    return (req) => runFunction(req, deps);
  },
  close: () => adapters?.close() ?? Promise.resolve(),
};
