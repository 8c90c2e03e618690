import { z } from 'zod';
import { envInteger, envList } from '@scia/api';
import { openStoreHandle, StoreEnv, type StoreHandle } from '@scia/rag';
import { defineFunction, type Adapters, type BuildContext } from '@scia/runtime';
import { DEFAULT_FAIL_AFTER_SECONDS, runFunction, type RecordDeps, type Recorder } from './fn.js';
import { SeenWrites } from './seen.js';
import { SteadyRecords } from './steady.js';

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
 * RecordEnv: the store's (StoreEnv), SCIA_RECORD_FAIL_AFTER_SECONDS, and
 * SCIA_SHARE_NAMESPACES, the namespaces whose teams opted in to share their
 * anonymised outcomes with every other team (comma-separated; none by default).
 */
export const RecordEnv = z.looseObject({
  ...StoreEnv.shape,
  SCIA_RECORD_FAIL_AFTER_SECONDS: envInteger(DEFAULT_FAIL_AFTER_SECONDS, { unit: 'seconds' }),
  SCIA_SHARE_NAMESPACES: envList(),
});

async function adapters(env: z.output<typeof RecordEnv>, ctx: BuildContext): Promise<Adapters<RecordDeps>> {
  const handle = await openStoreHandle(env, { cwd: ctx.cwd, warn: (m) => ctx.logger.warn(m), opened: (f) => ctx.logger.info(f, 'deployments store open'), background: ctx.background, after: ctx.serving });
  return {
    deps: {
      recorder: recorderOf(handle),
      clock: env.SCIA_NOW,
      budgetMs: env.SCIA_CALL_BUDGET_MS,
      failAfterSeconds: env.SCIA_RECORD_FAIL_AFTER_SECONDS,
      seen: new SeenWrites(),
      steady: new SteadyRecords(),
      shareNamespaces: new Set(env.SCIA_SHARE_NAMESPACES),
    },
    close: () => handle.close(),
  };
}

/** definition is function-scia-record: the same store as retrieve's, written once per outcome and feedback. */
export const definition = defineFunction({ name: 'function-scia-record', env: RecordEnv, adapters, run: (req, deps: RecordDeps) => runFunction(req, deps) });
