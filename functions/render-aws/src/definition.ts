import { clockFromEnv, type FunctionMain } from '@scia/runtime';
import { runFunction } from './fn.js';

/** definition is function-scia-render-aws: it needs no adapters but a clock. */
export const definition: FunctionMain = {
  name: 'function-scia-render-aws',
  build: () => {
    const clock = clockFromEnv(process.env);
    return (req) => runFunction(req, { clock });
  },
};
