import type { FunctionEnv } from '@scia/render';

/** RENDER_TIME is the clock of SCIA's functions under `scia render`: fixed, so a render depends on its inputs only. */
export const RENDER_TIME = '2026-01-01T00:00:00Z';

/** PASSED_THROUGH are the caller's variables a function may see: where programs and caches are, nothing that changes a render. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'XDG_CACHE_HOME', 'SCIA_CACHE_DIR'];

/**
 * renderEnvironment is the environment SCIA's functions start from when
 * `scia render` runs them in-process, as a container under crossplane render
 * sees only its image's environment and the Function's
 * render.crossplane.io/runtime-docker-env: a fresh store in `dataDir`, the
 * fixed RENDER_TIME clock, local repositories allowed (the examples' apps are
 * local paths), and from the caller only PASSED_THROUGH. Neither `.scia/` nor
 * the wall clock, a database or a model in the caller's environment reaches
 * the render; runtime-docker-env (or `-a` setting it) can add any of them.
 */
export function renderEnvironment(from: NodeJS.ProcessEnv, dataDir: string): FunctionEnv {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = from[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, SCIA_DATA_DIR: dataDir, SCIA_NOW: RENDER_TIME, SCIA_ALLOW_LOCAL_REPOS: 'true' };
}
