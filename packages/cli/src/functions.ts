import type { Env } from '@scia/api';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { quietLogger, type FunctionDefinition } from '@scia/runtime/step';
import type { BuiltinRegistry } from '@scia/render';

/** FUNCTION_DEFINITIONS loads each SCIA function's definition by its package name, on demand. */
export const FUNCTION_DEFINITIONS: Readonly<Record<string, () => Promise<FunctionDefinition>>> = {
  'function-scia-analyze': () => import('@scia/function-analyze').then((m) => m.definition),
  'function-scia-retrieve': () => import('@scia/function-retrieve').then((m) => m.definition),
  'function-scia-decide': () => import('@scia/function-decide').then((m) => m.definition),
  'function-scia-render-aws': () => import('@scia/function-render-aws').then((m) => m.definition),
  'function-scia-record': () => import('@scia/function-record').then((m) => m.definition),
};

/**
 * builtinFunctions is every SCIA function, built on demand from `env` (an
 * explicit environment: nothing reads or writes process.env here), with what
 * a build adds (`scia render` adds a Function's runtime-docker-env) over it,
 * and paths relative to `cwd`. `scia render` runs these in-process (on
 * ephemeral loopback ports, over real gRPC) for Functions under the Docker
 * runtime, and `scia serve` serves them.
 */
export function builtinFunctions(env: Env, cwd: string): BuiltinRegistry {
  return Object.fromEntries(
    Object.entries(FUNCTION_DEFINITIONS).map(([name, load]) => [name, async (logger, extra) => (await load()).build({ env: { ...env, ...extra }, logger, cwd })]),
  );
}

/**
 * runOnce builds a step from an explicit environment, runs one request and
 * releases the step's adapters, for commands that run a step and exit.
 */
export async function runOnce(def: FunctionDefinition, req: RunFunctionRequest, env: Env, cwd: string): Promise<RunFunctionResponse> {
  const built = await def.build({ env, logger: quietLogger(), cwd });
  try {
    return await built.run(req, quietLogger());
  } finally {
    await built.close();
  }
}
