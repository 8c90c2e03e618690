import { allowedHostsFromEnv, limitsFromEnv, newRepoSource, type LocationPolicy } from '@scia/analyzer';
import { clockFromEnv, type FunctionMain } from '@scia/runtime';
import { runFunction, type AnalyzeDeps } from './fn.js';
import { Jobs } from './jobs.js';
import { loggedRepoSource } from './logged.js';

/** DEFAULT_CALL_BUDGET_MS is how long one call waits for a resolve and fetch (env SCIA_CALL_BUDGET_MS). */
export const DEFAULT_CALL_BUDGET_MS = 3000;
/** DEFAULT_REF_TTL_SECONDS is how long a resolved ref stays pinned (env SCIA_REF_TTL_SECONDS). */
export const DEFAULT_REF_TTL_SECONDS = 300;

/**
 * depsFromEnv builds the analyze step's adapters from the environment: Git
 * limits from SCIA_GIT_*, private hosts allowed by SCIA_GIT_ALLOWED_HOSTS, local
 * paths only with SCIA_ALLOW_LOCAL_REPOS=true, SCIA_CALL_BUDGET_MS,
 * SCIA_REF_TTL_SECONDS, and a fixed clock when SCIA_NOW is set.
 */
export function depsFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): AnalyzeDeps {
  const policy: LocationPolicy = { allowLocal: env['SCIA_ALLOW_LOCAL_REPOS'] === 'true', allowedHosts: allowedHostsFromEnv(env), cwd };
  return {
    repos: newRepoSource({ ...policy, limits: limitsFromEnv(env) }),
    clock: clockFromEnv(env),
    jobs: new Jobs(),
    policy,
    budgetMs: nonNegative(env['SCIA_CALL_BUDGET_MS'], DEFAULT_CALL_BUDGET_MS),
    refTtlSeconds: nonNegative(env['SCIA_REF_TTL_SECONDS'], DEFAULT_REF_TTL_SECONDS),
  };
}

function nonNegative(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** definition serves function-scia-analyze. */
export const definition: FunctionMain = {
  name: 'function-scia-analyze',
  build(logger) {
    const env = depsFromEnv(process.env);
    const deps = { ...env, repos: loggedRepoSource(env.repos, logger) };
    return (req) => runFunction(req, deps);
  },
};
