import { CallEnv } from '@scia/api';
import { defineFunction } from '@scia/runtime';
import { RenderCache } from './compose.js';
import { runFunction } from './fn.js';

/** definition is function-scia-render-aws: it needs no adapters but a clock (SCIA_NOW), and keeps a cache of compositions per build. */
export const definition = defineFunction({
  name: 'function-scia-render-aws',
  env: CallEnv,
  adapters: (env) => ({ deps: { clock: env.SCIA_NOW, renders: new RenderCache() } }),
  run: (req, deps) => runFunction(req, deps),
});
