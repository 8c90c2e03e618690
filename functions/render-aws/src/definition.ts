import { systemClock, type Clock, type FunctionMain } from '@scia/runtime';
import { runFunction } from './fn.js';

/** clockFromEnv honours SCIA_NOW (RFC 3339) as a fixed clock, so golden renders are reproducible. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env['SCIA_NOW'];
  if (fixed === undefined || fixed === '') return systemClock;
  const at = new Date(fixed);
  if (Number.isNaN(at.getTime())) throw new Error(`cannot parse SCIA_NOW ${JSON.stringify(fixed)}: want RFC 3339`);
  return { now: () => new Date(at) };
}

/** definition is function-scia-render-aws: it needs no adapters but a clock. */
export const definition: FunctionMain = {
  name: 'function-scia-render-aws',
  build: () => {
    const clock = clockFromEnv();
    return (req) => runFunction(req, { clock });
  },
};
