import { z } from 'zod';
import { CallEnv, envFlag, envInteger } from '@scia/api';
import { GitEnv, limitsOf, newRepoSource, type LocationPolicy } from '@scia/analyzer';
import { SingleFlight, defineFunction } from '@scia/runtime/step';
import { runFunction } from './fn.js';
import { loggedRepoSource } from './logged.js';
import { SteadyAnalyses } from './steady.js';

/** DEFAULT_REF_TTL_SECONDS is how long a resolved ref stays pinned (env SCIA_REF_TTL_SECONDS). */
export const DEFAULT_REF_TTL_SECONDS = 300;

/**
 * AnalyzeEnv: the call budget and clock, Git limits (SCIA_GIT_*), private
 * hosts allowed by SCIA_GIT_ALLOWED_HOSTS, local paths only with
 * SCIA_ALLOW_LOCAL_REPOS=true, SCIA_REF_TTL_SECONDS, and whether a claim that
 * names no Secret may clone with the platform's `git` credential
 * (SCIA_ALLOW_PLATFORM_GIT_CREDENTIALS, default true).
 */
export const AnalyzeEnv = z.object({
  ...CallEnv.shape,
  ...GitEnv.shape,
  SCIA_ALLOW_LOCAL_REPOS: envFlag(false),
  SCIA_REF_TTL_SECONDS: envInteger(DEFAULT_REF_TTL_SECONDS, { unit: 'seconds' }),
  SCIA_ALLOW_PLATFORM_GIT_CREDENTIALS: envFlag(true),
});

/** definition is function-scia-analyze. */
export const definition = defineFunction({
  name: 'function-scia-analyze',
  env: AnalyzeEnv,
  adapters(env, { logger, cwd }) {
    const policy: LocationPolicy = { allowLocal: env.SCIA_ALLOW_LOCAL_REPOS, allowedHosts: env.SCIA_GIT_ALLOWED_HOSTS, cwd };
    const repos = newRepoSource({ ...policy, limits: limitsOf(env) });
    return {
      deps: {
        repos: loggedRepoSource(repos, logger),
        clock: env.SCIA_NOW,
        jobs: new SingleFlight(),
        policy,
        budgetMs: env.SCIA_CALL_BUDGET_MS,
        refTtlSeconds: env.SCIA_REF_TTL_SECONDS,
        allowPlatformCredentials: env.SCIA_ALLOW_PLATFORM_GIT_CREDENTIALS,
        steady: new SteadyAnalyses(),
      },
    };
  },
  run: (req, deps) => runFunction(req, deps),
});
