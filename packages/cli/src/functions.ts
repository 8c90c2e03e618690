import type { FunctionMain } from '@scia/runtime';

/**
 * BUILTIN_FUNCTIONS maps each SCIA function's package name to its definition,
 * loaded on demand. `scia render` runs these in-process (on ephemeral loopback
 * ports, over real gRPC) for Functions that have no Development runtime target,
 * and `scia serve` serves them.
 */
export const BUILTIN_FUNCTIONS: Record<string, () => Promise<FunctionMain>> = {
  'function-scia-analyze': () => import('@scia/function-analyze').then((m) => m.definition),
  'function-scia-retrieve': () => import('@scia/function-retrieve').then((m) => m.definition),
  'function-scia-decide': () => import('@scia/function-decide').then((m) => m.definition),
  'function-scia-render-aws': () => import('@scia/function-render-aws').then((m) => m.definition),
  'function-scia-record': () => import('@scia/function-record').then((m) => m.definition),
};
