import { clockFromEnv } from '@scia/api';
import { callBudgetMs, lazyStore, storeFromEnv, type StoreHandle } from '@scia/rag';
import type { FunctionMain, Logger } from '@scia/runtime';
import { DEFAULT_FAIL_AFTER_SECONDS, runFunction, type RecordDeps, type Recorder } from './fn.js';
import { SeenWrites } from './seen.js';

/** recorderOf writes to the store behind `handle`, opening it on first use. */
export function recorderOf(handle: StoreHandle): Recorder {
  return {
    async record(input) {
      const opened = await handle.get();
      return opened.ok ? opened.value.store.record(input) : opened;
    },
    async setFeedback(key, feedback, comment) {
      const opened = await handle.get();
      return opened.ok ? opened.value.store.setFeedback(key, feedback, comment) : opened;
    },
  };
}

/**
 * adaptersFromEnv builds the record step's store as the retrieve step does
 * (SCIA_DATABASE_URL, else PGlite in SCIA_DATA_DIR), the clock (SCIA_NOW),
 * SCIA_CALL_BUDGET_MS, and the failure threshold SCIA_RECORD_FAIL_AFTER_SECONDS.
 */
export function adaptersFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): { deps: RecordDeps; handle: StoreHandle } {
  const clock = clockFromEnv(env);
  const handle = lazyStore(() => storeFromEnv(env, { cwd, clock }));
  const threshold = Number(env['SCIA_RECORD_FAIL_AFTER_SECONDS'] ?? DEFAULT_FAIL_AFTER_SECONDS);
  return {
    deps: {
      recorder: recorderOf(handle),
      clock,
      budgetMs: callBudgetMs(env),
      failAfterSeconds: Number.isFinite(threshold) && threshold >= 0 ? threshold : DEFAULT_FAIL_AFTER_SECONDS,
      seen: new SeenWrites(),
    },
    handle,
  };
}

async function warmUp(handle: StoreHandle, logger: Logger): Promise<void> {
  const opened = await handle.get();
  if (!opened.ok) logger.warn({ err: opened.error }, 'store unavailable; recording nothing until it is back');
}

/** recordDefinition serves function-scia-record; each build owns its store until close. */
export function recordDefinition(env: NodeJS.ProcessEnv = process.env): FunctionMain {
  let handle: StoreHandle | undefined;
  return {
    name: 'function-scia-record',
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

/** definition serves function-scia-record with the process environment. */
export const definition: FunctionMain = recordDefinition();
