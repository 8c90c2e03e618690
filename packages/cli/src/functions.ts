import type { FunctionEnv, BuiltinRegistry } from '@scia/render';
import type { FunctionMain } from '@scia/runtime';

/**
 * BUILTIN_FUNCTIONS maps each SCIA function's package name to its definition,
 * loaded on demand. `scia render` runs these in-process (on ephemeral loopback
 * ports, over real gRPC) for Functions under the Docker runtime, with the
 * environment it gives; `scia serve` serves them with the process's.
 */
export const BUILTIN_FUNCTIONS: BuiltinRegistry = {
  'function-scia-analyze': (env) => import('@scia/function-analyze').then((m) => withEnv(m.definition, env)),
  'function-scia-retrieve': (env) => import('@scia/function-retrieve').then((m) => (env === undefined ? m.definition : m.retrieveDefinition({ ...env }))),
  'function-scia-decide': (env) => import('@scia/function-decide').then((m) => withEnv(m.definition, env)),
  'function-scia-render-aws': (env) => import('@scia/function-render-aws').then((m) => withEnv(m.definition, env)),
  'function-scia-record': (env) => import('@scia/function-record').then((m) => (env === undefined ? m.definition : m.recordDefinition({ ...env }))),
};

/**
 * withEnv builds a step that reads `process.env` while it builds its adapters
 * with `env` in its place, then puts the process's back. It bridges the steps
 * that do not yet take their environment as an argument; builds run one at a
 * time (scia render starts Functions in turn), so none sees another's.
 */
function withEnv(def: FunctionMain, env: FunctionEnv | undefined): FunctionMain {
  if (env === undefined) return def;
  return {
    ...def,
    async build(logger, flags) {
      const saved = process.env;
      process.env = { ...env };
      try {
        return await def.build(logger, flags);
      } finally {
        process.env = saved;
      }
    },
  };
}
