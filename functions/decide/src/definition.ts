import { join, resolve } from 'node:path';
import { decide } from '@scia/decider';
import type { FunctionMain } from '@scia/runtime';
import { FileDecisionCache, LayeredDecisionCache, MemoryDecisionCache, type DecisionCache } from './cache.js';
import { runFunction, type DecideDeps } from './fn.js';
import { modelSource } from './models.js';
import { PendingWork } from './pending.js';

/** DEFAULT_CALL_BUDGET_MS is how long one call waits for a decision (env SCIA_CALL_BUDGET_MS). */
export const DEFAULT_CALL_BUDGET_MS = 3000;

/**
 * depsFromEnv builds the decide step's adapters: the model from OLLAMA_HOST and
 * SCIA_OLLAMA_MODEL (none: the rules decide), decisions kept by hash in memory
 * and in files under SCIA_DATA_DIR/decisions, the call budget from
 * SCIA_CALL_BUDGET_MS.
 */
export function depsFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): DecideDeps {
  const budget = Number(env['SCIA_CALL_BUDGET_MS'] ?? DEFAULT_CALL_BUDGET_MS);
  const timeout = Number(env['SCIA_OLLAMA_TIMEOUT_MS'] ?? Number.NaN);
  return {
    decide: (input, model) => decide(input, { model }),
    modelFor: modelSource({
      host: nonEmpty(env['OLLAMA_HOST']),
      model: nonEmpty(env['SCIA_OLLAMA_MODEL']),
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    }),
    cache: decisionCache(env, cwd),
    pending: new PendingWork(),
    budgetMs: Number.isFinite(budget) && budget >= 0 ? budget : DEFAULT_CALL_BUDGET_MS,
  };
}

function decisionCache(env: NodeJS.ProcessEnv, cwd: string): DecisionCache {
  const dataDir = resolve(cwd, env['SCIA_DATA_DIR'] ?? join('.scia', 'data'));
  return new LayeredDecisionCache(new MemoryDecisionCache(), new FileDecisionCache(join(dataDir, 'decisions')));
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** definition serves function-scia-decide. */
export const definition: FunctionMain = {
  name: 'function-scia-decide',
  build() {
    const deps = depsFromEnv(process.env);
    return (req) => runFunction(req, deps);
  },
};
